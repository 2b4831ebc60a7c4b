package org.ccm.security;

import java.util.Set;

import javax.sql.DataSource;

import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.JdbcUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;

import tools.jackson.databind.json.JsonMapper;

/**
 * Three doors: the REST API takes API keys (stateless, so no CSRF token is involved);
 * tracking, webhooks and the portal are public because their links and payloads are
 * signed and checked by their endpoints; everything else is the staff UI behind a login
 * form with CSRF protection.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	static final String ADMIN = "ADMIN";

	static final String MARKETER = "MARKETER";

	static final String APPROVER = "APPROVER";

	static final String OPS = "OPS";

	/** May change locked brand and legal blocks of templates. */
	static final String BRAND = "BRAND";

	@Bean
	@Order(1)
	SecurityFilterChain api(HttpSecurity http, ApiKeys apiKeys, JsonMapper json, SecurityProperties properties)
			throws Exception {
		ProblemResponses problems = new ProblemResponses(json);
		AuthenticationManager apiKeyManager = (authentication) -> {
			String key = ((ApiKeyAuthentication) authentication).presentedKey();
			return apiKeys.authenticate(key != null ? key : "")
				.map(ApiKeyAuthentication::of)
				.orElseThrow(() -> new BadCredentialsException("unknown or revoked API key"));
		};
		AuthenticationFilter apiKeyFilter = new AuthenticationFilter(apiKeyManager, (request) -> {
			String header = request.getHeader("Authorization");
			if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
				return null;
			}
			return ApiKeyAuthentication.presented(header.substring(7).trim());
		});
		apiKeyFilter.setSuccessHandler((request, response, authentication) -> {
		});
		apiKeyFilter.setFailureHandler(problems::commence);
		http.securityMatcher("/api/**")
			.sessionManagement((session) -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.csrf((csrf) -> csrf.disable())
			.requestCache((cache) -> cache.disable())
			.addFilterBefore(apiKeyFilter, BasicAuthenticationFilter.class)
			.addFilterAfter(new RequestBodyLimit(properties.maxRequestBodyBytes(), problems),
					AuthenticationFilter.class)
			.exceptionHandling(
					(exceptions) -> exceptions.authenticationEntryPoint(problems).accessDeniedHandler(problems))
			.authorizeHttpRequests((requests) -> {
				for (ApiAccess rule : ApiAccess.RULES) {
					if (rule.method() != null) {
						requests.requestMatchers(rule.method(), rule.patternArray())
							.hasAuthority(rule.scope().authorityName());
					}
					else {
						requests.requestMatchers(rule.patternArray()).hasAuthority(rule.scope().authorityName());
					}
				}
				requests.anyRequest().denyAll();
			});
		return http.build();
	}

	@Bean
	@Order(2)
	SecurityFilterChain signedPublicEndpoints(HttpSecurity http) throws Exception {
		// Tracking pixels, click redirects, one-click unsubscribe (RFC 8058: providers
		// POST
		// with no token of ours), webhooks and portal links carry their own signatures.
		// The portal's preference form still needs its CSRF token.
		http.securityMatcher("/t/**", "/portal/**")
			.sessionManagement((session) -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.csrf((csrf) -> csrf.ignoringRequestMatchers("/t/**"))
			.requestCache((cache) -> cache.disable())
			.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll());
		return http.build();
	}

	@Bean
	@Order(3)
	SecurityFilterChain staff(HttpSecurity http) throws Exception {
		http.authorizeHttpRequests((requests) -> requests
			.requestMatchers("/admin/login", "/admin/css/**", "/admin/js/**", "/webjars/**", "/favicon.ico", "/error")
			.permitAll()
			.requestMatchers("/actuator/health/**", "/actuator/health", "/actuator/info")
			.permitAll()
			.requestMatchers("/v3/api-docs/**", "/v3/api-docs", "/swagger-ui/**", "/swagger-ui.html")
			.permitAll()
			.requestMatchers("/actuator/**")
			.hasAnyRole(ADMIN, OPS)
			.requestMatchers("/admin/dead-letters/**", "/admin/api-keys/**")
			.hasAnyRole(ADMIN, OPS)
			.requestMatchers("/admin/**", "/")
			.hasAnyRole(ADMIN, MARKETER, APPROVER, OPS, BRAND)
			.anyRequest()
			.authenticated())
			.formLogin((form) -> form.loginPage("/admin/login").defaultSuccessUrl("/admin", false).permitAll())
			.logout((logout) -> logout.logoutUrl("/admin/logout").logoutSuccessUrl("/admin/login?logout"))
			.headers((headers) -> headers.contentSecurityPolicy((csp) -> csp.policyDirectives(
					"default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'self'")))
			.csrf(Customizer.withDefaults());
		return http.build();
	}

	@Bean
	PasswordEncoder passwordEncoder() {
		return PasswordEncoderFactories.createDelegatingPasswordEncoder();
	}

	@Bean
	JdbcUserDetailsManager staffAccounts(DataSource dataSource) {
		return new JdbcUserDetailsManager(dataSource);
	}

	@Bean
	ApplicationRunner bootstrapApiKey(SecurityProperties properties, ApiKeys apiKeys) {
		return (args) -> {
			String key = properties.bootstrapApiKey();
			if (key != null && !key.isBlank()) {
				apiKeys.register(properties.bootstrapClientName(), key.trim(), Set.of(ApiScope.values()));
			}
		};
	}

}
