package org.ccm.campaigns;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;

@SpringBootApplication(scanBasePackages = "org.ccm")
@ConfigurationPropertiesScan(basePackages = "org.ccm")
class CampaignsTestApplication {

	/** The meters the modules register, readable by the tests. */
	@Bean
	SimpleMeterRegistry meterRegistry() {
		return new SimpleMeterRegistry();
	}

}
