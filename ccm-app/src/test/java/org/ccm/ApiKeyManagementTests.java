package org.ccm;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.ccm.security.ApiKeys;
import org.ccm.security.ApiScope;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers.springSecurity;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * Administrators issue, list and revoke API keys, through the API and the admin page; a
 * revocation holds on every instance within the cache time, and a restart never brings a
 * revoked key back.
 */
class ApiKeyManagementTests extends RunningPlatform {

	@Autowired
	ApiKeys apiKeys;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	WebApplicationContext context;

	@Test
	void anAdminKeyIssuesAScopedKeyWhoseSecretIsShownOnceAndRevokesIt() {
		String admin = apiKeys.issue("key-admin-" + System.nanoTime(), Set.of(ApiScope.ADMIN));
		String name = "billing-" + System.nanoTime();
		ResponseEntity<String> created = call("POST", "/api/v1/api-keys", admin,
				"""
						{"name": "%s", "scopes": ["customers:read"], "expiresAt": "%s", "allowedRanges": ["127.0.0.0/8", "::1/128"]}
						"""
					.formatted(name, Instant.now().plus(30, ChronoUnit.DAYS)));
		assertThat(created.getStatusCode().value()).isEqualTo(201);
		JsonNode issued = json.readTree(created.getBody());
		String secret = issued.path("key").asString();
		assertThat(secret).startsWith("ccm_").hasSizeGreaterThan(40);
		assertThat(issued.path("scopes").toString()).isEqualTo("[\"customers:read\"]");

		assertThat(call("GET", "/api/v1/customers/nobody-" + System.nanoTime(), secret, null).getStatusCode().value())
			.isEqualTo(404);
		assertThat(call("PUT", "/api/v1/customers/C-1", secret, "{}").getStatusCode().value()).isEqualTo(403);

		ResponseEntity<String> listed = call("GET", "/api/v1/api-keys", admin, null);
		assertThat(listed.getBody()).contains(name).doesNotContain(secret);
		JsonNode mine = find(json.readTree(listed.getBody()), name);
		assertThat(mine.path("lastUsedAt").isMissingNode()).as("last use is shown").isFalse();
		assertThat(mine.path("allowedRanges").toString()).contains("127.0.0.0/8");

		ResponseEntity<String> revoked = call("DELETE", "/api/v1/api-keys/" + issued.path("id").asString(), admin,
				null);
		assertThat(revoked.getStatusCode().value()).isEqualTo(204);
		assertThat(call("GET", "/api/v1/customers/nobody", secret, null).getStatusCode().value()).isEqualTo(401);
		assertThat(auditActions(name)).contains("api-key.issued", "api-key.revoked");
	}

	@Test
	void keyManagementNeedsTheAdminScope() {
		String everythingElse = apiKeys.issue("not-admin-" + System.nanoTime(),
				Set.of(ApiScope.CUSTOMERS_READ, ApiScope.CUSTOMERS_WRITE, ApiScope.COMMUNICATIONS_WRITE,
						ApiScope.TEMPLATES_WRITE, ApiScope.OPERATIONS));
		assertThat(call("GET", "/api/v1/api-keys", everythingElse, null).getStatusCode().value()).isEqualTo(403);
		assertThat(call("POST", "/api/v1/api-keys", everythingElse, "{\"name\": \"x\", \"scopes\": [\"admin\"]}")
			.getStatusCode()
			.value()).isEqualTo(403);
	}

	@Test
	void aKeyRequestWithBadFieldsIsRefusedNamingEachField() {
		String admin = apiKeys.issue("key-admin-" + System.nanoTime(), Set.of(ApiScope.ADMIN));
		ResponseEntity<String> refused = call("POST", "/api/v1/api-keys", admin, """
				{"name": "", "scopes": ["customers:read", "everything"], "allowedRanges": ["10.0.0.0/33"],
				 "expiresAt": "2020-01-01T00:00:00Z"}""");
		assertThat(refused.getStatusCode().value()).isEqualTo(400);
		assertThat(refused.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(refused.getBody()).contains("\"scopes[1]\"");
		ResponseEntity<String> second = call("POST", "/api/v1/api-keys", admin, """
				{"name": "", "scopes": ["customers:read"], "allowedRanges": ["10.0.0.0/33"],
				 "expiresAt": "2020-01-01T00:00:00Z"}""");
		assertThat(second.getBody()).contains("\"name\"", "\"allowedRanges[0]\"", "\"expiresAt\"");
	}

	@Test
	void aKeyIsRefusedFromOutsideItsAddressRangesAndAfterItsExpiry() {
		String admin = apiKeys.issue("key-admin-" + System.nanoTime(), Set.of(ApiScope.ADMIN));
		String elsewhere = json.readTree(call("POST", "/api/v1/api-keys", admin, """
				{"name": "elsewhere-%s", "scopes": ["customers:read"], "allowedRanges": ["10.20.0.0/16"]}
				""".formatted(System.nanoTime())).getBody()).path("key").asString();
		assertThat(call("GET", "/api/v1/customers/nobody", elsewhere, null).getStatusCode().value()).isEqualTo(401);

		String expiring = apiKeys
			.issue(new ApiKeys.NewApiKey("expiring-" + System.nanoTime(), Set.of(ApiScope.CUSTOMERS_READ),
					Instant.now().plusSeconds(3600), List.of()), "test")
			.key();
		jdbc.sql("UPDATE api_key SET expires_at = now() - interval '1 second' WHERE key_prefix = :prefix")
			.param("prefix", expiring.substring(0, 8))
			.update();
		assertThat(call("GET", "/api/v1/customers/nobody", expiring, null).getStatusCode().value()).isEqualTo(401);
	}

	@Test
	void aRevocationMadeByAnotherInstanceHoldsHereWithinTheCacheTime() {
		String client = "other-instance-" + System.nanoTime();
		String key = apiKeys.issue(client, Set.of(ApiScope.CUSTOMERS_READ));
		assertThat(call("GET", "/api/v1/customers/nobody", key, null).getStatusCode().value()).isEqualTo(404);
		// what another instance's revocation leaves in the shared database
		jdbc.sql("UPDATE api_key SET revoked_at = now() WHERE client = :client").param("client", client).update();
		await().atMost(Duration.ofSeconds(10))
			.until(() -> call("GET", "/api/v1/customers/nobody", key, null).getStatusCode().value() == 401);
	}

	@Test
	void aConfiguredKeyIsRegisteredOnlyWhenAbsentSoARevokedOneStaysRevoked() {
		String client = "bootstrap-" + System.nanoTime();
		String key = "ccm_configured_" + UUID.randomUUID().toString().replace("-", "");
		assertThat(apiKeys.register(client, key, Set.of(ApiScope.CUSTOMERS_READ))).isTrue();
		assertThat(call("GET", "/api/v1/customers/nobody", key, null).getStatusCode().value()).isEqualTo(404);
		assertThat(apiKeys.revoke(client)).isTrue();
		// a restart registers the configured key again
		assertThat(apiKeys.register(client, key, Set.of(ApiScope.values()))).isFalse();
		assertThat(call("GET", "/api/v1/customers/nobody", key, null).getStatusCode().value()).isEqualTo(401);
		assertThat(jdbc.sql("SELECT count(*) FROM api_key WHERE client = :client AND revoked_at IS NULL")
			.param("client", client)
			.query(Long.class)
			.single()).isZero();
	}

	@Test
	void theAdminPageIssuesAKeyShowingItsSecretOnceWithACopyButtonAndRevokesIt() throws Exception {
		MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).apply(springSecurity()).build();
		String name = "page-" + System.nanoTime();
		MvcResult issued = mvc
			.perform(post("/admin/api-keys").with(user("root").roles("ADMIN"))
				.with(csrf())
				.param("name", name)
				.param("scope", "communications:write", "communications:read")
				.param("expiresOn", "2099-12-31")
				.param("allowedRanges", "127.0.0.1\n10.0.0.0/8"))
			.andReturn();
		assertThat(issued.getResponse().getStatus()).isEqualTo(200);
		String page = issued.getResponse().getContentAsString();
		java.util.regex.Matcher secret = java.util.regex.Pattern.compile("value=\"(ccm_[A-Za-z0-9_-]+)\"")
			.matcher(page);
		assertThat(secret.find()).as("the secret on the page").isTrue();
		assertThat(page).contains("data-copy=\"secret\"", "shown only this once");
		assertThat(issued.getRequest().getSession(false) == null
				|| !String.valueOf(java.util.Collections.list(issued.getRequest().getSession().getAttributeNames()))
					.contains("ccm_"))
			.isTrue();
		assertThat(call("POST", "/api/v1/communications", secret.group(1), "{}").getStatusCode().value())
			.as("usable at once")
			.isNotIn(401, 403);

		String list = mvc.perform(get("/admin/api-keys").with(user("root").roles("ADMIN")))
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(list).contains(name, "2099-12-31", "10.0.0.0/8", "communications:write")
			.doesNotContain(secret.group(1));

		UUID id = apiKeys.list().stream().filter((k) -> k.client().equals(name)).findFirst().orElseThrow().id();
		assertThat(mvc.perform(post("/admin/api-keys/{id}/revoke", id).with(user("ops").roles("OPS")).with(csrf()))
			.andReturn()
			.getResponse()
			.getStatus()).as("operators cannot revoke keys").isEqualTo(403);
		mvc.perform(post("/admin/api-keys/{id}/revoke", id).with(user("root").roles("ADMIN")).with(csrf()));
		assertThat(apiKeys.find(id).orElseThrow().revokedAt()).isNotNull();
		assertThat(call("POST", "/api/v1/communications", secret.group(1), "{}").getStatusCode().value())
			.isEqualTo(401);

		MvcResult invalid = mvc
			.perform(post("/admin/api-keys").with(user("root").roles("ADMIN"))
				.with(csrf())
				.param("name", "")
				.param("allowedRanges", "not-a-range"))
			.andReturn();
		assertThat(invalid.getResponse().getStatus()).isEqualTo(400);
		assertThat(invalid.getResponse().getContentAsString()).contains("There is a problem", "href=\"#name\"",
				"href=\"#allowedRanges\"", "href=\"#scope\"");
	}

	private List<String> auditActions(String name) {
		return jdbc.sql("SELECT action FROM audit_event WHERE target LIKE :name ORDER BY id")
			.param("name", "%" + name + "%")
			.query(String.class)
			.list();
	}

	private static JsonNode find(JsonNode keys, String name) {
		for (JsonNode key : keys) {
			if (name.equals(key.path("client").asString())) {
				return key;
			}
		}
		throw new AssertionError("no key named " + name);
	}

}
