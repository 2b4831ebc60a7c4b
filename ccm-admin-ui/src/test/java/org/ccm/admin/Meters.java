package org.ccm.admin;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * The meter registry the application gets from Actuator, which this module does not
 * bring: delivery counts into it and the operations dashboard reads it.
 */
@TestConfiguration(proxyBeanMethods = false)
class Meters {

	@Bean
	MeterRegistry meterRegistry() {
		return new SimpleMeterRegistry();
	}

}
