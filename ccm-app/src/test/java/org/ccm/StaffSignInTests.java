package org.ccm;

import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.JdbcUserDetailsManager;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers.springSecurity;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * Staff sign-in resists guessing and leaves a trail; the session cookie and transport
 * headers are safe behind a TLS proxy; administrators manage accounts; public endpoints
 * are rate-limited per client address.
 */
class StaffSignInTests extends RunningPlatform {

	private static final Pattern CSRF = Pattern
		.compile("name=\"_csrf\"\\s+value=\"([^\"]+)\"|value=\"([^\"]+)\"\\s+name=\"_csrf\"");

	@Autowired
	JdbcUserDetailsManager users;

	@Autowired
	PasswordEncoder passwords;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	WebApplicationContext context;

	@Autowired
	org.ccm.security.AuditLog audit;

	@Test
	void wrongPasswordsLockTheAccountUntilAnAdministratorUnlocksIt() throws Exception {
		String username = "guessed" + System.nanoTime();
		users.createUser(
				User.withUsername(username).password(passwords.encode("right-password-1")).roles("OPS").build());
		HttpClient browser = browser();
		for (int i = 0; i < 5; i++) {
			assertThat(signIn(browser, username, "wrong-" + i)).contains("/admin/login?error");
		}
		assertThat(signIn(browser, username, "right-password-1")).as("locked, even for the right password")
			.contains("/admin/login?error");
		assertThat(actions(username)).contains("login.failed", "login.locked", "login.refused");

		MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).apply(springSecurity()).build();
		String page = mvc.perform(get("/admin/staff").with(user("root").roles("ADMIN")))
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(page).contains(username, "Locked until", "/admin/staff/" + username + "/unlock");
		mvc.perform(post("/admin/staff/{u}/unlock", username).with(user("root").roles("ADMIN")).with(csrf()));
		assertThat(actions(username)).contains("staff.unlocked");

		String location = signIn(browser(), username, "right-password-1");
		assertThat(URI.create(location).getPath()).isEqualTo("/admin");
		assertThat(actions(username)).contains("login.succeeded");
	}

	@Test
	void behindATlsProxyTheSessionCookieIsSecureHttpOnlyAndLaxAndHstsIsSent() throws Exception {
		HttpResponse<String> proxied = HttpClient.newHttpClient()
			.send(request("/admin/login").header("X-Forwarded-Proto", "https").GET().build(),
					HttpResponse.BodyHandlers.ofString());
		String cookie = proxied.headers()
			.allValues("Set-Cookie")
			.stream()
			.filter((c) -> c.startsWith("JSESSIONID"))
			.findFirst()
			.orElseThrow();
		assertThat(cookie).contains("Secure", "HttpOnly", "SameSite=Lax");
		assertThat(proxied.headers().firstValue("Strict-Transport-Security"))
			.hasValueSatisfying((hsts) -> assertThat(hsts).contains("max-age="));

		assertThat(context.getServletContext().getSessionTimeout()).as("idle minutes").isEqualTo(30);
		HttpResponse<String> plain = HttpClient.newHttpClient()
			.send(request("/admin/login").GET().build(), HttpResponse.BodyHandlers.ofString());
		assertThat(plain.headers().firstValue("Strict-Transport-Security")).isEmpty();
		assertThat(plain.headers().allValues("Set-Cookie").toString()).contains("HttpOnly", "SameSite=Lax");
	}

	@Test
	void administratorsCreateDisableAndResetStaffAccountsAndEveryChangeIsAudited() throws Exception {
		MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).apply(springSecurity()).build();
		String username = "new" + System.nanoTime();
		MvcResult created = mvc
			.perform(post("/admin/staff").with(user("root").roles("ADMIN"))
				.with(csrf())
				.param("username", username)
				.param("role", "MARKETER"))
			.andReturn();
		assertThat(created.getResponse().getStatus()).isEqualTo(200);
		Matcher password = Pattern.compile("value=\"([A-Za-z0-9_-]{20})\"")
			.matcher(created.getResponse().getContentAsString());
		assertThat(password.find()).isTrue();
		assertThat(URI.create(signIn(browser(), username, password.group(1))).getPath()).isEqualTo("/admin");

		mvc.perform(post("/admin/staff/{u}/roles", username).with(user("root").roles("ADMIN"))
			.with(csrf())
			.param("role", "APPROVER", "BRAND"));
		assertThat(users.loadUserByUsername(username).getAuthorities().toString()).contains("ROLE_APPROVER",
				"ROLE_BRAND");

		mvc.perform(post("/admin/staff/{u}/disable", username).with(user("root").roles("ADMIN")).with(csrf()));
		assertThat(signIn(browser(), username, password.group(1))).contains("/admin/login?error");

		mvc.perform(post("/admin/staff/{u}/enable", username).with(user("root").roles("ADMIN")).with(csrf()));
		MvcResult reset = mvc
			.perform(post("/admin/staff/{u}/password", username).with(user("root").roles("ADMIN")).with(csrf()))
			.andReturn();
		Matcher newPassword = Pattern.compile("value=\"([A-Za-z0-9_-]{20})\"")
			.matcher(reset.getResponse().getContentAsString());
		assertThat(newPassword.find()).isTrue();
		assertThat(signIn(browser(), username, password.group(1))).contains("/admin/login?error");
		assertThat(URI.create(signIn(browser(), username, newPassword.group(1))).getPath()).isEqualTo("/admin");

		assertThat(actions(username)).contains("staff.created", "staff.roles-changed", "staff.disabled",
				"staff.enabled", "staff.password-reset");
		String admin = "admin" + System.nanoTime();
		users
			.createUser(User.withUsername(admin).password(passwords.encode("admin-password-1")).roles("ADMIN").build());
		assertThat(mvc.perform(post("/admin/staff/{u}/disable", admin).with(user(admin).roles("ADMIN")).with(csrf()))
			.andReturn()
			.getFlashMap()
			.get("problems")).as("no one disables themselves").isNotNull();
		assertThat(
				mvc.perform(get("/admin/staff").with(user("ops").roles("OPS"))).andReturn().getResponse().getStatus())
			.isEqualTo(403);

		String audit = mvc.perform(get("/admin/audit").param("target", username).with(user("root").roles("ADMIN")))
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(audit).contains("staff.created", "staff.password-reset", "login.succeeded");
	}

	@Test
	void disablingAnAccountEndsItsSessionAtOnce() throws Exception {
		String username = "session" + System.nanoTime();
		users.createUser(
				User.withUsername(username).password(passwords.encode("right-password-1")).roles("OPS").build());
		HttpClient browser = browser();
		assertThat(URI.create(signIn(browser, username, "right-password-1")).getPath()).isEqualTo("/admin");
		assertThat(browser.send(request("/admin").GET().build(), HttpResponse.BodyHandlers.ofString()).statusCode())
			.isEqualTo(200);
		String admin = "admin" + System.nanoTime();
		users
			.createUser(User.withUsername(admin).password(passwords.encode("admin-password-1")).roles("ADMIN").build());
		MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).apply(springSecurity()).build();
		mvc.perform(post("/admin/staff/{u}/disable", username).with(user(admin).roles("ADMIN")).with(csrf()));
		HttpResponse<String> after = browser.send(request("/admin").GET().build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(after.statusCode()).isEqualTo(302);
		assertThat(after.headers().firstValue("Location").orElseThrow()).endsWith("/admin/login");
	}

	@Test
	void theAuditLogCannotBeChanged() {
		jdbc.sql(
				"INSERT INTO audit_event (actor, actor_type, action, outcome) VALUES ('t', 'SYSTEM', 'test', 'SUCCESS')")
			.update();
		org.assertj.core.api.Assertions
			.assertThatThrownBy(() -> jdbc.sql("UPDATE audit_event SET actor = 'someone else'").update())
			.hasMessageContaining("append-only");
		org.assertj.core.api.Assertions.assertThatThrownBy(() -> jdbc.sql("DELETE FROM audit_event").update())
			.hasMessageContaining("append-only");
	}

	@Test
	void onlyEntriesOlderThanTheRetentionPeriodArePurged() {
		String marker = "retention-" + System.nanoTime();
		jdbc.sql("""
				INSERT INTO audit_event (occurred_at, actor, actor_type, action, target, outcome) VALUES
				  (now() - interval '401 days', 't', 'SYSTEM', 'old', :marker, 'SUCCESS'),
				  (now() - interval '399 days', 't', 'SYSTEM', 'kept', :marker, 'SUCCESS')
				""").param("marker", marker).update();
		assertThat(audit.purgeExpired(java.time.Instant.now())).isPositive();
		assertThat(jdbc.sql("SELECT action FROM audit_event WHERE target = :marker")
			.param("marker", marker)
			.query(String.class)
			.list()).containsExactly("kept");
	}

	@Test
	void publicEndpointsAreRateLimitedPerClientAddress() throws Exception {
		HttpClient client = HttpClient.newHttpClient();
		String address = "203.0.113." + (1 + (int) (System.nanoTime() % 250));
		HttpResponse<String> last = null;
		for (int i = 0; i < 700; i++) {
			last = client.send(request("/t/o/not-a-token.gif").header("X-Forwarded-For", address).GET().build(),
					HttpResponse.BodyHandlers.ofString());
			if (last.statusCode() == 429) {
				break;
			}
		}
		assertThat(last.statusCode()).isEqualTo(429);
		assertThat(last.headers().firstValue("Retry-After")).isPresent();
		assertThat(last.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
		assertThat(last.body()).contains("\"type\":\"urn:ccm:problem:too-many-requests\"")
			.contains("\"title\":\"Too many requests\"");
		HttpResponse<String> other = client.send(
				request("/t/o/not-a-token.gif").header("X-Forwarded-For", "198.51.100.9").GET().build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(other.statusCode()).as("another address is not limited").isNotEqualTo(429);
	}

	private List<String> actions(String username) {
		return jdbc.sql("SELECT action FROM audit_event WHERE target = :target ORDER BY id")
			.param("target", "staff:" + username)
			.query(String.class)
			.list();
	}

	/** Signs in through the login form and answers where it redirects to. */
	private String signIn(HttpClient browser, String username, String password) throws Exception {
		HttpResponse<String> loginPage = browser.send(request("/admin/login").GET().build(),
				HttpResponse.BodyHandlers.ofString());
		Matcher token = CSRF.matcher(loginPage.body());
		assertThat(token.find()).isTrue();
		String csrf = token.group(1) != null ? token.group(1) : token.group(2);
		HttpResponse<String> answer = browser
			.send(request("/admin/login").header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers.ofString(
						"username=" + username + "&password=" + password + "&_csrf=" + csrf, StandardCharsets.UTF_8))
				.build(), HttpResponse.BodyHandlers.ofString());
		return answer.headers().firstValue("Location").orElse("status " + answer.statusCode());
	}

	private static HttpClient browser() {
		return HttpClient.newBuilder()
			.cookieHandler(new CookieManager())
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
	}

}
