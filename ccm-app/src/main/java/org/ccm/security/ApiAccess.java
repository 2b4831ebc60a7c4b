package org.ccm.security;

import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Which scope each API call needs, first match wins. One table serves both the security
 * filter and the API description, so what the description promises is what is enforced.
 *
 * @param method the HTTP method, or {@code null} for any
 * @param patterns path patterns of the calls
 * @param scope the scope an API key needs for them
 */
record ApiAccess(@Nullable HttpMethod method, List<String> patterns, ApiScope scope) {

	/**
	 * A preview renders and changes nothing; with a real customer it also needs
	 * {@code customers:read}, which the filter checks against the body.
	 */
	static final ApiAccess PREVIEW = new ApiAccess(HttpMethod.POST, List.of("/api/v1/templates/*/preview"),
			ApiScope.TEMPLATES_READ);

	static final List<ApiAccess> RULES = List.of(
			new ApiAccess(null, List.of("/api/v1/api-keys/**", "/api/v1/api-keys"), ApiScope.ADMIN),
			new ApiAccess(HttpMethod.GET, List.of("/api/v1/communications/**", "/api/v1/communications"),
					ApiScope.COMMUNICATIONS_READ),
			new ApiAccess(null,
					List.of("/api/v1/communications/**", "/api/v1/communications", "/api/v1/communications:batch"),
					ApiScope.COMMUNICATIONS_WRITE),
			new ApiAccess(HttpMethod.GET,
					List.of("/api/v1/customers/**", "/api/v1/customers", "/api/v1/segments/**", "/api/v1/segments",
							"/api/v1/imports/**", "/api/v1/attributes/**", "/api/v1/attributes"),
					ApiScope.CUSTOMERS_READ),
			// erasure cannot be undone: its own scope
			new ApiAccess(HttpMethod.DELETE, List.of("/api/v1/customers/*"), ApiScope.CUSTOMERS_ERASE),
			// counting an unsaved rule is a read, but it is a POST
			new ApiAccess(HttpMethod.POST, List.of("/api/v1/segments:count"), ApiScope.CUSTOMERS_READ),
			new ApiAccess(null,
					List.of("/api/v1/customers/**", "/api/v1/customers", "/api/v1/customers:import",
							"/api/v1/segments/**", "/api/v1/segments", "/api/v1/imports/**", "/api/v1/attributes/**",
							"/api/v1/attributes"),
					ApiScope.CUSTOMERS_WRITE),
			new ApiAccess(HttpMethod.GET,
					List.of("/api/v1/templates/**", "/api/v1/templates", "/api/v1/offers/**", "/api/v1/offers"),
					ApiScope.TEMPLATES_READ),
			PREVIEW,
			new ApiAccess(null,
					List.of("/api/v1/templates/**", "/api/v1/templates", "/api/v1/offers/**", "/api/v1/offers"),
					ApiScope.TEMPLATES_WRITE),
			new ApiAccess(HttpMethod.GET, List.of("/api/v1/campaigns/**", "/api/v1/campaigns"),
					ApiScope.CAMPAIGNS_READ),
			new ApiAccess(null, List.of("/api/v1/campaigns/**", "/api/v1/campaigns"), ApiScope.CAMPAIGNS_WRITE),
			new ApiAccess(null, List.of("/api/v1/dead-letters/**", "/api/v1/dead-letters"), ApiScope.OPERATIONS),
			// a key's own webhook tells it about the communications it may read
			new ApiAccess(null, List.of("/api/v1/webhook", "/api/v1/webhook/**"), ApiScope.COMMUNICATIONS_READ));

	private static final PathPatternParser PARSER = new PathPatternParser();

	String[] patternArray() {
		return patterns.toArray(String[]::new);
	}

	/**
	 * The scope a call needs; a path template such as {@code /api/v1/customers/{id}}
	 * matches like the paths it stands for.
	 */
	static Optional<ApiScope> scopeFor(HttpMethod method, String path) {
		PathContainer container = PathContainer.parsePath(path);
		return RULES.stream()
			.filter((rule) -> rule.method() == null || rule.method().equals(method))
			.filter((rule) -> rule.patterns()
				.stream()
				.map(PARSER::parse)
				.anyMatch((PathPattern p) -> p.matches(container)))
			.map(ApiAccess::scope)
			.findFirst();
	}

}
