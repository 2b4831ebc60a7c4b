package org.ccm.security;

import java.util.Set;

import javax.sql.DataSource;

import jakarta.servlet.http.HttpServletRequest;

import org.ccm.delivery.Communications;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.JdbcUserDetailsManager;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.ExceptionTranslationFilter;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.transaction.TransactionException;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Three doors: the REST API takes API keys (stateless, so no CSRF token is involved);
 * tracking, webhooks and the portal are public because their links and payloads are
 * signed and checked by their endpoints; everything else is the staff UI behind a login
 * form with CSRF protection. Before any of them, on every path: a request id, the body
 * limit (which refuses multipart bodies unread where no endpoint takes files) and the
 * text checks on JSON and form bodies. The scopes and roles per endpoint are listed in
 * {@code docs/security.md} and tested by {@code AccessMatrixTests}.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	static final String ADMIN = "ADMIN";

	static final String MARKETER = "MARKETER";

	static final String APPROVER = "APPROVER";

	static final String OPS = "OPS";

	/** May change locked brand and legal blocks of templates. */
	static final String BRAND = "BRAND";

	/**
	 * A path the firewall refuses ({@code %2e%2e}, {@code ;}, double slashes) is answered
	 * with problem details naming the path, like every other refusal.
	 */
	@Bean
	RequestRejectedHandler requestRejectedHandler(JsonMapper json) {
		return (request, response, rejected) -> EdgeProblems.write(request, response, json, HttpStatus.BAD_REQUEST,
				"The request's path is not acceptable", "path",
				"must not contain encoded dots, semicolons, double slashes or other characters that change its meaning");
	}

	/**
	 * No observation around each filter of the security chains: on the accept path it
	 * cost more than the platform's own filters (two observations per filter per
	 * request), and {@code http.server.requests} already times every request. Sign-ins
	 * and access decisions are still observed ({@code spring.security.authentications},
	 * {@code spring.security.authorizations}).
	 */
	@Bean
	SecurityObservationSettings securityObservationSettings() {
		return SecurityObservationSettings.withDefaults().shouldObserveRequests(false).build();
	}

	@Bean
	FilterRegistrationBean<RequestIds> requestIds() {
		FilterRegistrationBean<RequestIds> registration = new FilterRegistrationBean<>(new RequestIds());
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
		return registration;
	}

	@Bean
	FilterRegistrationBean<RequestBodyLimit> requestBodyLimit(SecurityProperties properties, JsonMapper json) {
		FilterRegistrationBean<RequestBodyLimit> registration = new FilterRegistrationBean<>(
				new RequestBodyLimit(properties, json));
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 2);
		return registration;
	}

	@Bean
	FilterRegistrationBean<JsonBodyCheck> jsonBodyCheck(SecurityProperties properties, JsonMapper json) {
		FilterRegistrationBean<JsonBodyCheck> registration = new FilterRegistrationBean<>(
				new JsonBodyCheck(properties.json(), json));
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 3);
		return registration;
	}

	@Bean
	@Order(1)
	SecurityFilterChain api(HttpSecurity http, ApiKeys apiKeys, JsonMapper json, SecurityProperties properties,
			AuditLog audit, RateLimitBuckets buckets) throws Exception {
		ProblemResponses problems = new ProblemResponses(json);
		AuthenticationManager apiKeyManager = (authentication) -> {
			ApiKeyAuthentication presented = (ApiKeyAuthentication) authentication;
			String key = presented.presentedKey();
			try {
				return apiKeys.authenticate(key != null ? key : "", presented.clientAddress())
					.map((client) -> ApiKeyAuthentication.of(client, presented.clientAddress()))
					.orElseThrow(() -> new BadCredentialsException("unknown, expired or revoked API key"));
			}
			catch (DataAccessException | TransactionException ex) {
				// the key cannot be checked: the database is away, not the key wrong
				throw new AuthenticationServiceException("the API key could not be checked", ex);
			}
		};
		AuthenticationFilter apiKeyFilter = new AuthenticationFilter(apiKeyManager, (request) -> {
			String header = request.getHeader("Authorization");
			if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
				return null;
			}
			return ApiKeyAuthentication.presented(header.substring(7).trim(), request.getRemoteAddr());
		});
		apiKeyFilter.setSuccessHandler((request, response, authentication) -> {
			// the send endpoint remembers which key accepted a communication, for its
			// status webhook
			if (authentication instanceof ApiKeyAuthentication key && key.keyId() != null) {
				request.setAttribute(Communications.API_KEY_ATTRIBUTE, key.keyId());
			}
		});
		apiKeyFilter.setFailureHandler((request, response, failure) -> {
			if (failure instanceof AuthenticationServiceException) {
				problems.unavailable(request, response);
			}
			else {
				problems.commence(request, response, failure);
			}
		});
		RateLimit perKey = new RateLimit("per API key", "api-key", properties.rateLimits().perApiKey(), (request) -> {
			if (!properties.rateLimits().enabled()) {
				return null;
			}
			Authentication authentication = org.springframework.security.core.context.SecurityContextHolder.getContext()
				.getAuthentication();
			return (authentication instanceof ApiKeyAuthentication key && key.keyId() != null) ? key.keyId().toString()
					: null;
		}, buckets, json);
		http.securityMatcher("/api/**")
			.sessionManagement((session) -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.csrf((csrf) -> csrf.disable())
			.requestCache((cache) -> cache.disable())
			.addFilterBefore(apiKeyFilter, BasicAuthenticationFilter.class)
			.addFilterAfter(new SignedInMultipart(json), AuthenticationFilter.class)
			.addFilterAfter(perKey, SignedInMultipart.class)
			.addFilterBefore(new AuditedRequests(audit), ExceptionTranslationFilter.class)
			.exceptionHandling(
					(exceptions) -> exceptions.authenticationEntryPoint(problems).accessDeniedHandler(problems))
			.authorizeHttpRequests((requests) -> {
				for (ApiAccess rule : ApiAccess.RULES) {
					var matched = (rule.method() != null) ? requests.requestMatchers(rule.method(), rule.patternArray())
							: requests.requestMatchers(rule.patternArray());
					if (rule == ApiAccess.PREVIEW) {
						// with a real customer a preview reads their data
						matched.access(preview(json));
					}
					else {
						matched.hasAuthority(rule.scope().authorityName());
					}
				}
				requests.anyRequest().denyAll();
			});
		return http.build();
	}

	/**
	 * A preview needs {@code templates:read}; a preview for a real customer also needs
	 * {@code customers:read}, because it shows that customer's name, address and data.
	 */
	static AuthorizationManager<RequestAuthorizationContext> preview(JsonMapper json) {
		return (authentication, context) -> {
			Authentication caller = authentication.get();
			if (caller == null || !has(caller, ApiScope.TEMPLATES_READ)) {
				return new AuthorizationDecision(false);
			}
			return new AuthorizationDecision(
					!namesCustomer(context.getRequest(), json) || has(caller, ApiScope.CUSTOMERS_READ));
		};
	}

	private static boolean namesCustomer(HttpServletRequest request, JsonMapper json) {
		byte[] body = JsonBodyCheck.body(request);
		if (body == null || body.length == 0) {
			return false;
		}
		try {
			JsonNode customer = json.readTree(body).get("customer");
			return customer != null && !customer.isNull();
		}
		catch (RuntimeException ex) {
			// unreadable: the controller refuses it; no customer data is read
			return false;
		}
	}

	private static boolean has(Authentication caller, ApiScope scope) {
		return caller.getAuthorities()
			.stream()
			.map(GrantedAuthority::getAuthority)
			.anyMatch(scope.authorityName()::equals);
	}

	@Bean
	@Order(2)
	SecurityFilterChain signedPublicEndpoints(HttpSecurity http, SecurityProperties properties, JsonMapper json,
			RateLimitBuckets buckets) throws Exception {
		// Tracking pixels, click redirects, one-click unsubscribe (RFC 8058: providers
		// POST with no token of ours), webhooks and portal links carry their own
		// signatures. The portal's preference form still needs its CSRF token.
		http.securityMatcher("/t/**", "/portal/**")
			.sessionManagement((session) -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.csrf((csrf) -> csrf.ignoringRequestMatchers("/t/**"))
			.requestCache((cache) -> cache.disable())
			.addFilterBefore(new SignedInMultipart(json), CsrfFilter.class)
			.addFilterAfter(perClientAddress("public", properties, buckets, json, (request) -> true),
					SignedInMultipart.class)
			.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll());
		return http.build();
	}

	@Bean
	@Order(3)
	SecurityFilterChain staff(HttpSecurity http, JdbcUserDetailsManager staffAccounts, PasswordEncoder passwordEncoder,
			JdbcClient jdbc, AuditLog audit, SecurityProperties properties, JsonMapper json, RateLimitBuckets buckets,
			LoginThrottle throttle, SecondFactors secondFactors) throws Exception {
		DaoAuthenticationProvider passwords = new DaoAuthenticationProvider(staffAccounts);
		passwords.setPasswordEncoder(passwordEncoder);
		StaffSignIns signIns = new StaffSignIns(passwords, throttle, secondFactors);
		http.authenticationManager(new ProviderManager(signIns))
			.addFilterBefore(new StaffSessions(jdbc), CsrfFilter.class)
			.addFilterBefore(new SignedInMultipart(json), CsrfFilter.class)
			.addFilterAfter(perClientAddress("sign-in", properties, buckets, json,
					(request) -> "POST".equals(request.getMethod()) && ("/admin/login".equals(request.getServletPath())
							|| SecondFactorPages.CODE.equals(request.getServletPath()))),
					SignedInMultipart.class)
			.addFilterBefore(new AuditedRequests(audit), ExceptionTranslationFilter.class)
			.authorizeHttpRequests((requests) -> requests
				// the code page answers only a session that gave the right password
				.requestMatchers(SecondFactorPages.CODE)
				.authenticated()
				.requestMatchers("/admin/login", "/admin/css/**", "/admin/js/**", "/webjars/**", "/favicon.ico",
						"/error")
				.permitAll()
				.requestMatchers("/actuator/health/**", "/actuator/health", "/actuator/info")
				.permitAll()
				.requestMatchers("/v3/api-docs/**", "/v3/api-docs", "/swagger-ui/**", "/swagger-ui.html")
				.permitAll()
				.requestMatchers("/actuator/**")
				.hasAnyRole(ADMIN, OPS)
				.requestMatchers("/admin/api-keys/**", "/admin/api-keys", "/admin/staff/**", "/admin/staff",
						"/admin/audit/**", "/admin/audit")
				.hasRole(ADMIN)
				.requestMatchers("/admin/dead-letters/**", "/admin/operations/**", "/admin/operations")
				.hasAnyRole(ADMIN, OPS)
				// customer data per role: captured mail holds every message in full;
				// the brand team and approvers work on templates, not on customers
				.requestMatchers("/admin/captured/**", "/admin/captured", "/admin/customers/*/portal-links/**")
				.hasAnyRole(ADMIN, OPS)
				.requestMatchers("/admin/customers/**", "/admin/customers", "/admin/communications/**",
						"/admin/campaigns/**", "/admin/campaigns")
				.hasAnyRole(ADMIN, MARKETER, OPS)
				.requestMatchers("/admin/**", "/")
				.hasAnyRole(ADMIN, MARKETER, APPROVER, OPS, BRAND)
				.anyRequest()
				.authenticated())
			.formLogin((form) -> form.loginPage("/admin/login")
				.successHandler(StaffSessions.signedIn("/admin"))
				.permitAll())
			.logout((logout) -> logout.logoutUrl("/admin/logout").logoutSuccessUrl("/admin/login?logout"))
			.headers((headers) -> headers.contentSecurityPolicy((csp) -> csp.policyDirectives(
					"default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'self'")))
			.csrf(Customizer.withDefaults());
		return http.build();
	}

	private static RateLimit perClientAddress(String bucketPrefix, SecurityProperties properties,
			RateLimitBuckets buckets, JsonMapper json, java.util.function.Predicate<HttpServletRequest> limited) {
		return new RateLimit("per client address", bucketPrefix, properties.rateLimits().perClientAddress(),
				(request) -> (properties.rateLimits().enabled() && limited.test(request)) ? request.getRemoteAddr()
						: null,
				buckets, json);
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
