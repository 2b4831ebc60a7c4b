package org.ccm.core;

import java.time.Clock;
import java.time.Duration;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.persistence.autoconfigure.EntityScan;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.jpa.repository.config.EnableJpaRepositories;

/**
 * Binds {@code ccm.core.*} even in applications that do not scan for configuration
 * properties. Each module declares its own JPA entities and repositories, whatever
 * package the application's main class sits in.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CoreProperties.class)
@EntityScan
@EnableJpaRepositories
class CoreConfiguration {

	/**
	 * The time every module stamps its records with. It ticks in microseconds, the
	 * precision PostgreSQL keeps, so an instant read back equals the one written.
	 */
	@Bean
	@ConditionalOnMissingBean
	Clock clock() {
		return Clock.tick(Clock.systemUTC(), Duration.ofNanos(1_000));
	}

}
