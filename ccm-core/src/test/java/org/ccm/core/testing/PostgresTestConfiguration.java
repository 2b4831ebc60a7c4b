package org.ccm.core.testing;

import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Import into a test to run it against a real, empty PostgreSQL database of its own;
 * Flyway then migrates it like production.
 */
@TestConfiguration(proxyBeanMethods = false)
public class PostgresTestConfiguration {

	@Bean
	JdbcConnectionDetails embeddedPostgresConnectionDetails() {
		String url = EmbeddedPostgresServer.newDatabase();
		return new JdbcConnectionDetails() {

			@Override
			public String getUsername() {
				return "postgres";
			}

			@Override
			public String getPassword() {
				return "postgres";
			}

			@Override
			public String getJdbcUrl() {
				return url;
			}

		};
	}

}
