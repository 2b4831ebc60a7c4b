package org.ccm.tracking;

import java.net.URI;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class TrackingPropertiesTests {

	final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
		.withUserConfiguration(Config.class);

	@Test
	void aSigningSecretOfAtLeast32BytesIsRequired() {
		runner.run((context) -> assertThat(context).hasFailed());
		runner.withPropertyValues("ccm.tracking.signing-secret=only-31-bytes-long-0123456789ab")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("at least 32 bytes"));
		runner.withPropertyValues("ccm.tracking.signing-secret=exactly-32-bytes-long-0123456789")
			.run((context) -> assertThat(context).hasNotFailed()
				.getBean(TrackingProperties.class)
				.satisfies((properties) -> {
					assertThat(properties.baseUrl()).isEqualTo(URI.create("http://localhost:8080"));
					assertThat(properties.twilio().authToken()).isNull();
					assertThat(properties.portalLinkValidity()).isEqualTo(java.time.Duration.ofDays(90));
					assertThat(properties.events().topic()).isEqualTo("ccm.tracking.events");
				}));
	}

	@Test
	void theBaseUrlIsUsedWithoutATrailingSlash() {
		runner
			.withPropertyValues("ccm.tracking.signing-secret=exactly-32-bytes-long-0123456789",
					"ccm.tracking.base-url=https://ccm.example.com/")
			.run((context) -> assertThat(context.getBean(TrackingProperties.class).base())
				.isEqualTo("https://ccm.example.com"));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(TrackingProperties.class)
	static class Config {

	}

}
