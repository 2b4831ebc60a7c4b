package org.ccm.admin;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The doors the application puts in front of these pages: public portal, staff pages
 * behind the login form with CSRF protection.
 */
@TestConfiguration(proxyBeanMethods = false)
class StaffSecurity {

	@Bean
	SecurityFilterChain staffForTests(HttpSecurity http) throws Exception {
		http.authorizeHttpRequests((requests) -> requests
			.requestMatchers("/portal/**", "/admin/login", "/admin/css/**", "/webjars/**", "/error")
			.permitAll()
			.anyRequest()
			.authenticated())
			.formLogin((form) -> form.loginPage("/admin/login").defaultSuccessUrl("/admin", false).permitAll())
			.logout((logout) -> logout.logoutUrl("/admin/logout").logoutSuccessUrl("/admin/login?logout"))
			.csrf(Customizer.withDefaults());
		return http.build();
	}

}
