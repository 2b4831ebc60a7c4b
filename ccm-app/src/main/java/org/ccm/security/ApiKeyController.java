package org.ccm.security;

import java.net.URI;
import java.security.Principal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * API key management for automation ({@code admin} scope): {@code POST} issues a key and
 * answers with its secret, the only time it is shown; {@code GET} lists keys without
 * secrets; {@code DELETE /{id}} revokes a key (it stays listed, revoked).
 */
@RestController
@Tag(name = "API keys", description = "Keys for back-office systems: issue, list, revoke")
@RequestMapping("/api/v1/api-keys")
class ApiKeyController {

	private final ApiKeys apiKeys;

	ApiKeyController(ApiKeys apiKeys) {
		this.apiKeys = apiKeys;
	}

	@Operation(operationId = "listApiKeys", summary = "List API keys",
			description = "Every key with its name, scopes, expiry, address ranges and last use; never a secret. Revoked keys stay listed.")
	@GetMapping
	List<ApiKeySummary> list() {
		return apiKeys.list();
	}

	@Operation(operationId = "getApiKey", summary = "Get an API key", description = "One key, without its secret.")
	@GetMapping("/{id}")
	ResponseEntity<?> find(@PathVariable UUID id) {
		Optional<ApiKeySummary> key = apiKeys.find(id);
		return key.<ResponseEntity<?>>map(ResponseEntity::ok).orElseGet(() -> notFound(id));
	}

	@Operation(operationId = "issueApiKey", summary = "Issue an API key",
			description = "Creates a key and answers 201 with its secret: the only time the secret is shown. Only its digest is stored.")
	@PostMapping
	ResponseEntity<IssuedKeyView> issue(@RequestBody KeyRequest body, Principal principal) {
		Map<String, String> problems = new LinkedHashMap<>();
		Set<ApiScope> scopes = new LinkedHashSet<>();
		List<String> requested = (body.scopes() != null) ? body.scopes() : List.of();
		for (int i = 0; i < requested.size(); i++) {
			int index = i;
			ApiScope.find(requested.get(i))
				.ifPresentOrElse(scopes::add,
						() -> problems.put("scopes[" + index + "]", "is not a scope; known scopes: " + knownScopes()));
		}
		if (!problems.isEmpty()) {
			throw new InvalidApiKeyException(problems);
		}
		ApiKeys.IssuedApiKey issued = apiKeys.issue(new ApiKeys.NewApiKey(body.name(), scopes, body.expiresAt(),
				(body.allowedRanges() != null) ? body.allowedRanges() : List.of()), principal.getName());
		return ResponseEntity.created(URI.create("/api/v1/api-keys/" + issued.summary().id()))
			.body(new IssuedKeyView(issued.summary(), issued.key()));
	}

	@Operation(operationId = "revokeApiKey", summary = "Revoke an API key",
			description = "The key stops working on every instance within the key cache time (at most a minute). It stays listed as revoked.")
	@DeleteMapping("/{id}")
	ResponseEntity<?> revoke(@PathVariable UUID id, Principal principal) {
		if (apiKeys.find(id).isEmpty()) {
			return notFound(id);
		}
		apiKeys.revoke(id, principal.getName());
		return ResponseEntity.noContent().build();
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> invalid(InvalidApiKeyException ex) {
		List<Map<String, String>> errors = new ArrayList<>();
		ex.problems().forEach((field, message) -> errors.add(Map.of("field", field, "message", message)));
		return problem(HttpStatus.BAD_REQUEST, "The API key request has invalid fields", errors);
	}

	private static ResponseEntity<?> notFound(UUID id) {
		return problem(HttpStatus.NOT_FOUND, "No API key with id " + id,
				List.of(Map.of("field", "id", "message", "is not an API key")));
	}

	private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String detail,
			List<Map<String, String>> errors) {
		ProblemDetail problem = EdgeProblems.problem(status, detail, errors);
		return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
	}

	private static String knownScopes() {
		return String.join(", ", java.util.Arrays.stream(ApiScope.values()).map(ApiScope::value).toList());
	}

	record KeyRequest(@Nullable String name, @Nullable List<String> scopes, @Nullable Instant expiresAt,
			@Nullable List<String> allowedRanges) {
	}

	/**
	 * The issued key: {@code key} is the secret, shown this once.
	 */
	record IssuedKeyView(UUID id, String name, String key, Set<String> scopes, @Nullable Instant expiresAt,
			List<String> allowedRanges) {

		IssuedKeyView(ApiKeySummary summary, String key) {
			this(summary.id(), summary.client(), key,
					new java.util.TreeSet<>(summary.scopes().stream().map(ApiScope::value).toList()),
					summary.expiresAt(), summary.allowedRanges());
		}

	}

}
