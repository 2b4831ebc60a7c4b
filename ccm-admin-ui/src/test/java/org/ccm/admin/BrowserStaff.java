package org.ccm.admin;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

/**
 * The staff accounts the browser journeys sign in with; one set for every journey, so
 * that they share one application.
 */
@TestConfiguration(proxyBeanMethods = false)
class BrowserStaff {

	static final String PASSWORD = "browser-test-password";

	@Bean
	InMemoryUserDetailsManager staffAccounts() {
		return new InMemoryUserDetailsManager(
				User.withUsername("mia").password("{noop}" + PASSWORD).roles("MARKETER").build(),
				User.withUsername("ann").password("{noop}" + PASSWORD).roles("APPROVER").build(),
				User.withUsername("otto").password("{noop}" + PASSWORD).roles("OPS").build());
	}

}
