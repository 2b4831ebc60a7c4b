package org.ccm;

import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.ccm.security.ApiKeys;
import org.ccm.security.ApiScope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.JdbcUserDetailsManager;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may do what: scoped, hashed API keys for systems; a login form with CSRF for staff.
 */
@ExtendWith(OutputCaptureExtension.class)
class AccessControlTests extends RunningPlatform {

	@Autowired
	ApiKeys apiKeys;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	JdbcUserDetailsManager staff;

	@Autowired
	PasswordEncoder passwords;

	@Test
	void apiKeysAreKeptOnlyAsDigestsAndNeverLogged(CapturedOutput output) {
		String key = apiKeys.issue("reporting-" + System.nanoTime(), Set.of(ApiScope.CUSTOMERS_READ));
		assertThat(jdbc.sql("SELECT count(*) FROM api_key WHERE key_digest = :key OR key_prefix = :key")
			.param("key", key)
			.query(Long.class)
			.single()).isZero();
		ResponseEntity<String> read = get("/api/v1/customers/nobody-" + System.nanoTime(), key);
		assertThat(read.getStatusCode().value()).isEqualTo(404);
		assertThat(read.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		ResponseEntity<String> wrong = get("/api/v1/customers/C-1", key + "x");
		assertThat(wrong.getStatusCode().value()).isEqualTo(401);
		assertThat(output.getAll()).doesNotContain(key);
	}

	@Test
	void aKeyCanOnlyDoWhatItsScopesAllow() {
		String key = apiKeys.issue("reader-" + System.nanoTime(), Set.of(ApiScope.CUSTOMERS_READ));
		ResponseEntity<String> send = http.post()
			.uri("/api/v1/communications")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + key)
			.header("Idempotency-Key", "k-" + System.nanoTime())
			.contentType(MediaType.APPLICATION_JSON)
			.body("{}")
			.retrieve()
			.toEntity(String.class);
		assertThat(send.getStatusCode().value()).isEqualTo(403);
		assertThat(send.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
	}

	@Test
	void campaignsNeedTheirOwnScopes() {
		String reader = apiKeys.issue("campaign-reader-" + System.nanoTime(), Set.of(ApiScope.CAMPAIGNS_READ));
		ResponseEntity<String> list = http.get()
			.uri("/api/v1/campaigns")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + reader)
			.retrieve()
			.toEntity(String.class);
		assertThat(list.getStatusCode().value()).isEqualTo(200);
		assertThat(post("/api/v1/campaigns", reader, "{}").getStatusCode().value()).isEqualTo(403);
		String sender = apiKeys.issue("sender-" + System.nanoTime(), Set.of(ApiScope.COMMUNICATIONS_WRITE));
		assertThat(post("/api/v1/campaigns", sender, "{}").getStatusCode().value()).isEqualTo(403);
		String writer = apiKeys.issue("campaign-writer-" + System.nanoTime(), Set.of(ApiScope.CAMPAIGNS_WRITE));
		ResponseEntity<String> invalid = post("/api/v1/campaigns", writer, "{}");
		assertThat(invalid.getStatusCode().value()).isEqualTo(400);
		assertThat(invalid.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
	}

	@Test
	void readOnlyEndpointsThatArePostsNeedOnlyReadScopes() {
		String key = apiKeys.issue("previewer-" + System.nanoTime(),
				Set.of(ApiScope.TEMPLATES_READ, ApiScope.CUSTOMERS_READ));
		ResponseEntity<String> preview = post("/api/v1/templates/invoice/preview", key, "{}");
		assertThat(preview.getStatusCode().value()).isEqualTo(200);
		assertThat(preview.getBody()).contains("INV");
		ResponseEntity<String> count = post("/api/v1/segments:count", key,
				"{\"type\": \"attribute\", \"name\": \"tier\", \"op\": \"eq\", \"value\": \"gold\"}");
		assertThat(count.getStatusCode().value()).isEqualTo(200);
		ResponseEntity<String> draft = post("/api/v1/templates/invoice/versions", key, "{}");
		assertThat(draft.getStatusCode().value()).isEqualTo(403);
	}

	@Test
	void lockedBrandAndLegalBlocksNeedTheBrandScope() {
		String body = """
				{"key": "notice-%s", "name": "Notice", "purpose": "TRANSACTIONAL", "channels": ["EMAIL"],
				 "layout": "invoice", "requiredClauses": ["payment-terms"]}""";
		String writer = apiKeys.issue("writer-" + System.nanoTime(), Set.of(ApiScope.TEMPLATES_WRITE));
		ResponseEntity<String> refused = post("/api/v1/templates", writer, body.formatted(System.nanoTime()));
		assertThat(refused.getStatusCode().value()).isEqualTo(403);
		String brand = apiKeys.issue("brand-" + System.nanoTime(),
				Set.of(ApiScope.TEMPLATES_WRITE, ApiScope.TEMPLATES_BRAND));
		ResponseEntity<String> created = post("/api/v1/templates", brand, body.formatted(System.nanoTime()));
		assertThat(created.getStatusCode().value()).isEqualTo(201);
	}

	@Test
	void revokedAndMissingKeysAreRefused() {
		String client = "revoked-" + System.nanoTime();
		String key = apiKeys.issue(client, Set.of(ApiScope.CUSTOMERS_READ));
		assertThat(get("/api/v1/customers/nobody", key).getStatusCode().value()).isEqualTo(404);
		assertThat(apiKeys.revoke(client)).isTrue();
		assertThat(get("/api/v1/customers/nobody", key).getStatusCode().value()).isEqualTo(401);
		ResponseEntity<String> anonymous = http.get().uri("/api/v1/customers/nobody").retrieve().toEntity(String.class);
		assertThat(anonymous.getStatusCode().value()).isEqualTo(401);
		assertThat(anonymous.getHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE)).isEqualTo("Bearer");
	}

	@Test
	void staffPagesNeedALoginAndTheLoginFormNeedsItsCsrfToken() throws Exception {
		String username = "staff" + System.nanoTime();
		staff.createUser(User.withUsername(username).password(passwords.encode("s3cret-pass")).roles("OPS").build());
		assertThat(jdbc.sql("SELECT password FROM users WHERE username = :u")
			.param("u", username)
			.query(String.class)
			.single()).startsWith("{bcrypt}");

		HttpClient browser = HttpClient.newBuilder()
			.cookieHandler(new CookieManager())
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
		HttpResponse<String> dashboard = browser.send(request("/admin").GET().build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(dashboard.statusCode()).isEqualTo(302);
		assertThat(dashboard.headers().firstValue("Location").orElseThrow()).endsWith("/admin/login");

		String form = "username=" + username + "&password=s3cret-pass";
		HttpResponse<String> withoutToken = browser.send(postForm("/admin/login", form),
				HttpResponse.BodyHandlers.ofString());
		assertThat(withoutToken.statusCode()).isEqualTo(403);

		HttpResponse<String> loginPage = browser.send(request("/admin/login").GET().build(),
				HttpResponse.BodyHandlers.ofString());
		Matcher token = Pattern.compile("name=\"_csrf\"\\s+value=\"([^\"]+)\"|value=\"([^\"]+)\"\\s+name=\"_csrf\"")
			.matcher(loginPage.body());
		assertThat(token.find()).as("a CSRF token in the login form").isTrue();
		String csrf = token.group(1) != null ? token.group(1) : token.group(2);

		HttpResponse<String> wrongPassword = browser.send(
				postForm("/admin/login", "username=" + username + "&password=nope&_csrf=" + csrf),
				HttpResponse.BodyHandlers.ofString());
		assertThat(wrongPassword.headers().firstValue("Location").orElseThrow()).contains("/admin/login?error");

		loginPage = browser.send(request("/admin/login").GET().build(), HttpResponse.BodyHandlers.ofString());
		token = Pattern.compile("name=\"_csrf\"\\s+value=\"([^\"]+)\"|value=\"([^\"]+)\"\\s+name=\"_csrf\"")
			.matcher(loginPage.body());
		assertThat(token.find()).isTrue();
		csrf = token.group(1) != null ? token.group(1) : token.group(2);
		HttpResponse<String> loggedIn = browser.send(postForm("/admin/login", form + "&_csrf=" + csrf),
				HttpResponse.BodyHandlers.ofString());
		assertThat(loggedIn.statusCode()).isEqualTo(302);
		// back to the page that asked for the login (the saved request may carry a
		// marker)
		assertThat(URI.create(loggedIn.headers().firstValue("Location").orElseThrow()).getPath()).isEqualTo("/admin");
		HttpResponse<String> afterLogin = browser.send(request("/admin").GET().build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(afterLogin.statusCode()).isEqualTo(200);
		HttpResponse<String> deadLetters = browser.send(request("/admin/dead-letters").GET().build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(deadLetters.statusCode()).as("operators see dead letters").isEqualTo(200);
	}

	private ResponseEntity<String> get(String path, String key) {
		return http.get()
			.uri(path)
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + key)
			.retrieve()
			.toEntity(String.class);
	}

	private ResponseEntity<String> post(String path, String key, String json) {
		return http.post()
			.uri(path)
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + key)
			.contentType(MediaType.APPLICATION_JSON)
			.body(json)
			.retrieve()
			.toEntity(String.class);
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
	}

	private HttpRequest postForm(String path, String form) {
		return request(path).header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form, StandardCharsets.UTF_8))
			.build();
	}

}
