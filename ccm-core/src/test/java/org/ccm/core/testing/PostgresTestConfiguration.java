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
		return connectionTo(EmbeddedPostgresServer.newDatabase());
	}

	/**
	 * The connection to a database of the embedded server, as its superuser.
	 */
	public static JdbcConnectionDetails connectionTo(String url) {
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
