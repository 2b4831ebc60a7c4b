package org.ccm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.ccm.security.ApiKeys;
import org.ccm.security.ApiScope;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers.springSecurity;

/**
 * The access matrix of {@code docs/security.md}, read from that page and checked row by
 * row: every API endpoint with no key, with a key for each single scope and with the
 * scope combinations the page names; every staff page without a session and with each
 * role. Allowed means neither 401 nor the scope refusal (the call itself may still be
 * refused for its content); refused means the 403 of a missing scope, and 401 without
 * credentials.
 */
class AccessMatrixTests extends RunningPlatform {

	/** What {@link #call} answers when the key's scopes refused the call. */
	static final int SCOPE_REFUSED = -403;

	static final List<String> ROLES = List.of("ADMIN", "MARKETER", "APPROVER", "OPS", "BRAND");

	@Autowired
	ApiKeys apiKeys;

	@Autowired
	WebApplicationContext context;

	@Test
	void everyApiEndpointAnswersEveryScopeAsTheMatrixSays() throws IOException {
		List<List<String>> rows = table("| method | path | scopes |");
		assertThat(rows).hasSizeGreaterThan(40);
		Map<Set<ApiScope>, String> keys = new LinkedHashMap<>();
		for (ApiScope scope : ApiScope.values()) {
			keys.put(EnumSet.of(scope),
					apiKeys.issue("matrix-" + scope.value() + "-" + System.nanoTime(), Set.of(scope)));
		}
		List<String> mismatches = new ArrayList<>();
		for (List<String> row : rows) {
			List<Set<ApiScope>> alternatives = Arrays.stream(row.get(2).split(","))
				.map((alternative) -> Arrays.stream(alternative.split("\\+"))
					.map(String::strip)
					.map((value) -> Arrays.stream(ApiScope.values())
						.filter((s) -> s.value().equals(value))
						.findFirst()
						.orElseThrow(() -> new AssertionError("unknown scope " + value + " in docs/security.md")))
					.collect(Collectors.toCollection(() -> (Set<ApiScope>) EnumSet.noneOf(ApiScope.class))))
				.toList();
			for (Set<ApiScope> combination : alternatives) {
				if (combination.size() > 1) {
					keys.computeIfAbsent(combination,
							(c) -> apiKeys.issue("matrix-combined-" + System.nanoTime(), Set.copyOf(c)));
				}
			}
			int anonymous = call(row, null);
			if (anonymous != 401) {
				mismatches.add(row + " without a key: " + anonymous);
			}
			for (Map.Entry<Set<ApiScope>, String> key : keys.entrySet()) {
				boolean allowed = alternatives.stream().anyMatch((needed) -> key.getKey().containsAll(needed));
				int status = call(row, key.getValue());
				boolean ok = allowed ? (status != 401 && status != SCOPE_REFUSED) : status == SCOPE_REFUSED;
				if (!ok) {
					mismatches.add(row + " with " + key.getKey() + ": " + status
							+ (allowed ? ", expected allowed" : ", expected 403"));
				}
			}
		}
		assertThat(mismatches).isEmpty();
	}

	@Test
	void everyStaffPageAnswersEveryRoleAsTheMatrixSays() throws Exception {
		List<List<String>> rows = table("| method | path | roles |");
		assertThat(rows).hasSizeGreaterThan(5);
		MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).apply(springSecurity()).build();
		List<String> mismatches = new ArrayList<>();
		for (List<String> row : rows) {
			Set<String> allowedRoles = Arrays.stream(row.get(2).split(","))
				.map(String::strip)
				.collect(Collectors.toSet());
			MockHttpServletRequestBuilder request = MockMvcRequestBuilders.request(HttpMethod.valueOf(row.get(0)),
					row.get(1));
			var anonymous = mvc.perform(request).andReturn().getResponse();
			if (anonymous.getStatus() != 302
					|| !String.valueOf(anonymous.getRedirectedUrl()).endsWith("/admin/login")) {
				mismatches.add(row + " without a session: " + anonymous.getStatus());
			}
			for (String role : ROLES) {
				int status = mvc
					.perform(MockMvcRequestBuilders.request(HttpMethod.valueOf(row.get(0)), row.get(1))
						.with(user("matrix-" + role.toLowerCase()).roles(role)))
					.andReturn()
					.getResponse()
					.getStatus();
				boolean allowed = allowedRoles.contains(role);
				if (allowed ? (status == 401 || status == 403 || status == 302) : status != 403) {
					mismatches.add(row + " as " + role + ": " + status);
				}
			}
		}
		assertThat(mismatches).isEmpty();
	}

	private int call(List<String> row, String key) {
		String path = row.get(1)
			.replace(" with a customer", "")
			.replace("{id}", "matrix-nobody")
			.replace("{uuid}", UUID.randomUUID().toString())
			.replace("{key}", "matrix-none")
			.replace("{name}", "matrix_attribute");
		HttpMethod method = HttpMethod.valueOf(row.get(0));
		var request = http.method(method).uri(path);
		if (key != null) {
			request = request.header(HttpHeaders.AUTHORIZATION, "Bearer " + key);
		}
		request = request.header("Idempotency-Key", "matrix-" + UUID.randomUUID());
		if (method == HttpMethod.POST || method == HttpMethod.PUT) {
			if (path.endsWith(":import")) {
				request = request.contentType(MediaType.valueOf("text/csv")).body("externalId,name\n");
			}
			else {
				String body = row.get(1).endsWith("with a customer") ? "{\"customer\": \"matrix-nobody\"}" : "{}";
				request = request.contentType(MediaType.APPLICATION_JSON).body(body);
			}
		}
		var answer = request.retrieve().toEntity(String.class);
		int status = answer.getStatusCode().value();
		// a 403 of the service itself (template governance) is not a scope refusal
		return (status == 403 && String.valueOf(answer.getBody()).contains("no scope for this call")) ? SCOPE_REFUSED
				: status;
	}

	/**
	 * The rows of the table in docs/security.md whose header is the given line.
	 */
	private static List<List<String>> table(String header) throws IOException {
		Path docs = Path.of("../docs/security.md");
		List<String> lines = Files.readAllLines(docs, StandardCharsets.UTF_8);
		int start = lines.indexOf(header);
		assertThat(start).as("the table " + header + " in " + docs.toAbsolutePath()).isNotNegative();
		List<List<String>> rows = new ArrayList<>();
		for (int i = start + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
			String[] cells = lines.get(i).split("\\|");
			rows.add(Arrays.stream(cells).skip(1).map(String::strip).toList());
		}
		Set<String> seen = new HashSet<>();
		rows.forEach((row) -> assertThat(seen.add(row.get(0) + " " + row.get(1))).as("one row per endpoint " + row)
			.isTrue());
		return rows;
	}

}
