package org.ccm.admin;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The doors the application puts in front of these pages: public portal, staff pages
 * behind the login form with CSRF protection and the same content security policy.
 */
@TestConfiguration(proxyBeanMethods = false)
class StaffSecurity {

	@Bean
	SecurityFilterChain staffForTests(HttpSecurity http) throws Exception {
		http.authorizeHttpRequests((requests) -> requests
			.requestMatchers("/portal/**", "/t/**", "/admin/login", "/admin/css/**", "/admin/js/**", "/webjars/**",
					"/error")
			.permitAll()
			.anyRequest()
			.authenticated())
			.formLogin((form) -> form.loginPage("/admin/login").defaultSuccessUrl("/admin", false).permitAll())
			.logout((logout) -> logout.logoutUrl("/admin/logout").logoutSuccessUrl("/admin/login?logout"))
			// the application's policy: nothing inline but styles, no other origin
			.headers((headers) -> headers.contentSecurityPolicy((csp) -> csp.policyDirectives(
					"default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'self'")))
			.csrf(Customizer.withDefaults());
		return http.build();
	}

}
