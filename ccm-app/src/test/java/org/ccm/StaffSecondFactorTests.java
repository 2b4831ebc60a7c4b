package org.ccm;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import dev.samstevens.totp.code.DefaultCodeGenerator;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.JdbcUserDetailsManager;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.RequestBuilder;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers.springSecurity;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * The optional TOTP second factor for staff, with codes computed from the secret the page
 * shows: set up on the staff member's own account page, asked for after the password,
 * wrong codes counted with wrong passwords, reset by an administrator. Through the
 * application's real security chain.
 */
class StaffSecondFactorTests extends RunningPlatform {

	@Autowired
	JdbcUserDetailsManager users;

	@Autowired
	PasswordEncoder passwords;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	WebApplicationContext context;

	MockMvc mvc;

	@BeforeEach
	void browser() {
		this.mvc = MockMvcBuilders.webAppContextSetup(this.context).apply(springSecurity()).build();
	}

	@Test
	void aStaffMemberSetsUpASecondFactorAndIsAskedForTheCodeAfterThePassword() throws Exception {
		String username = account();
		MockHttpSession session = new MockHttpSession();
		assertThat(signIn(session, username).getRedirectedUrl()).isEqualTo("/admin");
		assertThat(page(get("/admin/account").session(session)).getElementById("second-factor-state").text())
			.startsWith("Off");

		// the secret is shown while setting up; a wrong code stores nothing
		Document setUp = page(post("/admin/account/second-factor/new").session(session).with(csrf()));
		String secret = setUp.getElementById("secret").text();
		assertThat(secret).matches("[A-Z2-7]{32}");
		assertThat(setUp.getElementById("qr-code").attr("src")).startsWith("data:image/png;base64,");
		MockHttpServletResponse wrong = perform(
				post("/admin/account/second-factor").param("code", wrongCode(secret)).session(session).with(csrf()));
		assertThat(wrong.getStatus()).isEqualTo(400);
		assertThat(Jsoup.parse(wrong.getContentAsString()).select(".error-summary a").attr("href")).isEqualTo("#code");
		assertThat(stored(username)).isNull();

		MockHttpServletResponse confirmed = perform(
				post("/admin/account/second-factor").param("code", code(secret)).session(session).with(csrf()));
		assertThat(confirmed.getRedirectedUrl()).isEqualTo("/admin/account");
		assertThat(page(get("/admin/account").session(session)).getElementById("second-factor-state").text())
			.startsWith("On");
		// stored encrypted, and written nowhere in the audit log
		assertThat(stored(username)).isNotBlank().doesNotContain(secret);
		assertThat(this.jdbc.sql("SELECT count(*) FROM audit_event WHERE concat(target, detail, after_digest) LIKE ?")
			.param("%" + secret + "%")
			.query(Long.class)
			.single()).isZero();
		assertThat(actions(username)).contains("second-factor.enrolled");

		// the next sign-in: the password opens only the code page
		MockHttpSession next = new MockHttpSession();
		assertThat(signIn(next, username).getRedirectedUrl()).isEqualTo("/admin/login/code");
		assertThat(perform(get("/admin").session(next)).getRedirectedUrl()).isEqualTo("/admin/login/code");
		assertThat(perform(get("/admin/customers").session(next)).getRedirectedUrl()).isEqualTo("/admin/login/code");
		assertThat(page(get("/admin/login/code").session(next)).select("input#code[autocomplete=one-time-code]"))
			.hasSize(1);
		MockHttpServletResponse refused = perform(
				post("/admin/login/code").param("code", wrongCode(secret)).session(next).with(csrf()));
		assertThat(refused.getStatus()).isEqualTo(400);
		assertThat(Jsoup.parse(refused.getContentAsString()).select(".error-summary").text())
			.contains("The code is not right");
		assertThat(failedAttempts(username)).isEqualTo(1);

		String code = code(secret);
		assertThat(perform(post("/admin/login/code").param("code", code).session(next).with(csrf())).getRedirectedUrl())
			.isEqualTo("/admin");
		assertThat(perform(get("/admin").session(next)).getStatus()).isEqualTo(200);
		assertThat(failedAttempts(username)).isZero();
		assertThat(actions(username)).contains("login.succeeded");

		// a code is used once only
		MockHttpSession replay = new MockHttpSession();
		signIn(replay, username);
		assertThat(perform(post("/admin/login/code").param("code", code).session(replay).with(csrf())).getStatus())
			.isEqualTo(400);
	}

	@Test
	void wrongCodesLockTheAccountLikeWrongPasswords() throws Exception {
		String username = account();
		String secret = enrol(username);
		MockHttpSession session = new MockHttpSession();
		signIn(session, username);
		for (int i = 0; i < 4; i++) {
			assertThat(perform(post("/admin/login/code").param("code", wrongCode(secret)).session(session).with(csrf()))
				.getStatus()).isEqualTo(400);
		}
		// the right password again gives no fresh tries
		session = new MockHttpSession();
		signIn(session, username);
		assertThat(perform(post("/admin/login/code").param("code", wrongCode(secret)).session(session).with(csrf()))
			.getRedirectedUrl()).isEqualTo("/admin/login?locked");
		assertThat(actions(username)).contains("login.locked");
		// locked: even the right password and code are refused
		MockHttpSession locked = new MockHttpSession();
		assertThat(signIn(locked, username).getRedirectedUrl()).isEqualTo("/admin/login?error");
	}

	@Test
	void anAdministratorResetsALostSecondFactorAndTheResetIsAudited() throws Exception {
		String username = account();
		enrol(username);
		assertThat(
				page(get("/admin/staff").with(user("root").roles("ADMIN"))).getElementById("second-factor-" + username)
					.text())
			.isEqualTo("On");
		// only administrators
		assertThat(perform(
				post("/admin/staff/{u}/second-factor/reset", username).with(user("olga").roles("OPS")).with(csrf()))
			.getStatus()).isEqualTo(403);
		assertThat(stored(username)).isNotNull();

		assertThat(perform(
				post("/admin/staff/{u}/second-factor/reset", username).with(user("root").roles("ADMIN")).with(csrf()))
			.getRedirectedUrl()).isEqualTo("/admin/staff");
		assertThat(stored(username)).isNull();
		assertThat(this.jdbc.sql("SELECT actor FROM audit_event WHERE action = 'second-factor.reset' AND target = ?")
			.param("staff:" + username)
			.query(String.class)
			.list()).containsExactly("root");
		assertThat(signIn(new MockHttpSession(), username).getRedirectedUrl()).isEqualTo("/admin");
	}

	private String account() {
		String username = "totp" + System.nanoTime();
		this.users.createUser(
				User.withUsername(username).password(this.passwords.encode("right-password-1")).roles("OPS").build());
		return username;
	}

	/** Sets up a second factor through the pages and returns its secret. */
	private String enrol(String username) throws Exception {
		MockHttpSession session = new MockHttpSession();
		signIn(session, username);
		String secret = page(post("/admin/account/second-factor/new").session(session).with(csrf()))
			.getElementById("secret")
			.text();
		perform(post("/admin/account/second-factor").param("code", code(secret)).session(session).with(csrf()));
		assertThat(stored(username)).isNotNull();
		return secret;
	}

	private MockHttpServletResponse signIn(MockHttpSession session, String username) throws Exception {
		return perform(post("/admin/login").param("username", username)
			.param("password", "right-password-1")
			.session(session)
			.with(csrf()));
	}

	private static String code(String secret) throws Exception {
		return new DefaultCodeGenerator().generate(secret, Instant.now().getEpochSecond() / 30);
	}

	/** A code that is none of the codes accepted around now. */
	private static String wrongCode(String secret) throws Exception {
		long now = Instant.now().getEpochSecond() / 30;
		DefaultCodeGenerator generator = new DefaultCodeGenerator();
		Set<String> valid = LongStream.rangeClosed(now - 2, now + 2).mapToObj((step) -> {
			try {
				return generator.generate(secret, step);
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		}).collect(Collectors.toSet());
		return valid.contains("123456") ? "654321" : "123456";
	}

	private MockHttpServletResponse perform(RequestBuilder request) throws Exception {
		return this.mvc.perform(request).andReturn().getResponse();
	}

	private Document page(RequestBuilder request) throws Exception {
		MockHttpServletResponse response = perform(request);
		assertThat(response.getStatus()).isEqualTo(200);
		return Jsoup.parse(response.getContentAsString());
	}

	private String stored(String username) {
		return this.jdbc.sql("SELECT secret FROM staff_second_factor WHERE username = ?")
			.param(username)
			.query(String.class)
			.optional()
			.orElse(null);
	}

	private int failedAttempts(String username) {
		return this.jdbc.sql("SELECT failed_attempts FROM staff_login_state WHERE username = ?")
			.param(username)
			.query(Integer.class)
			.single();
	}

	private List<String> actions(String username) {
		return this.jdbc.sql("SELECT action FROM audit_event WHERE target = ? ORDER BY id")
			.param("staff:" + username)
			.query(String.class)
			.list();
	}

}
