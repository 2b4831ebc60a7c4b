package org.ccm.admin;

import java.util.List;

import jakarta.mail.internet.MimeMessage;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import org.ccm.core.Customers;
import org.ccm.core.Purpose;
import org.ccm.core.Segments;
import org.ccm.core.testing.PostgresTestConfiguration;
import org.ccm.templates.TemplateAuthoring;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * "Send me a test" through a real SMTP server (GreenMail): a marketer keeps their own
 * test address, sends a template version to it marked as a test, and no customer's
 * records change.
 */
@SpringBootTest(classes = AdminTestApplication.class,
		properties = { "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
				"ccm.tracking.base-url=https://ccm.example.com",
				"ccm.tracking.signing-secret=admin-test-signing-secret-0123456789abcdef" })
@AutoConfigureMockMvc
@Import({ PostgresTestConfiguration.class, StaffSecurity.class, Meters.class })
@EmbeddedKafka(partitions = 1)
class TestMessagePagesTests {

	static final GreenMail mail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));

	static {
		mail.start();
		Runtime.getRuntime().addShutdownHook(new Thread(mail::stop));
	}

	@DynamicPropertySource
	static void smtp(DynamicPropertyRegistry registry) {
		registry.add("spring.mail.host", () -> "127.0.0.1");
		registry.add("spring.mail.port", () -> mail.getSmtp().getPort());
	}

	static final RequestPostProcessor MIA = user("mia").roles("MARKETER");

	@Autowired
	MockMvc mvc;

	@Autowired
	Customers customers;

	@Autowired
	Segments segments;

	@Autowired
	TemplateAuthoring authoring;

	@Autowired
	JdbcClient jdbc;

	@Test
	void aMarketerSendsAVersionToTheirOwnAddressMarkedAsATest() throws Exception {
		// a bad address is named next to its field and nothing is kept
		Document refused = Jsoup.parse(this.mvc
			.perform(post("/admin/me").param("email", "not an address").param("phone", "12345").with(MIA).with(csrf()))
			.andExpect(status().is(422))
			.andReturn()
			.getResponse()
			.getContentAsString());
		assertThat(refused.select(".error-summary a[href=#email]").text()).contains("right format");
		assertThat(refused.select(".error-summary a[href=#phone]").text()).contains("country code");
		assertThat(refused.select("#email-error").text()).contains("right format");
		this.mvc.perform(post("/admin/me").param("email", "mia@example.com").param("phone", "").with(MIA).with(csrf()))
			.andExpect(redirectedUrl("/admin/me"));
		Document saved = Jsoup.parse(this.mvc.perform(get("/admin/me").with(MIA))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString());
		assertThat(saved.select("#email").val()).isEqualTo("mia@example.com");

		String template = new CampaignFixtures(this.customers, this.segments, this.authoring)
			.template(Purpose.TRANSACTIONAL);
		Document version = Jsoup.parse(this.mvc.perform(get("/admin/templates/{key}/versions/1", template).with(MIA))
			.andReturn()
			.getResponse()
			.getContentAsString());
		assertThat(version.select("#test-channel option").eachAttr("value")).containsExactly("EMAIL");
		long communications = count("communication");
		long interactions = count("interaction");

		this.mvc
			.perform(post("/admin/templates/{key}/versions/1/test", template).param("channel", "EMAIL")
				.with(MIA)
				.with(csrf()))
			.andExpect(redirectedUrl("/admin/templates/" + template + "/versions/1#test-heading"))
			.andExpect(flash().attribute("notice", "A test email of version 1 went to mia@example.com."));
		assertThat(mail.waitForIncomingEmail(10_000, 1)).isTrue();
		MimeMessage received = mail.getReceivedMessages()[0];
		assertThat(received.getAllRecipients()[0].toString()).isEqualTo("mia@example.com");
		assertThat(received.getSubject()).startsWith("[TEST] ").contains("your annual notice");
		assertThat(received.getHeader(TestMessages.TEST_HEADER)).containsExactly(template + " version 1");
		assertThat(GreenMailUtil.getBody(received)).contains("annual notice");
		// the test is nobody's communication and nobody's interaction
		assertThat(count("communication")).isEqualTo(communications);
		assertThat(count("interaction")).isEqualTo(interactions);

		// no phone number yet: the page says what to do; approvers send no tests
		this.mvc.perform(
				post("/admin/templates/{key}/versions/1/test", template).param("channel", "SMS").with(MIA).with(csrf()))
			.andExpect(flash().attribute("problem",
					"No test was sent: Add your own phone number for test messages first, under “Your test addresses”."));
		this.mvc
			.perform(post("/admin/templates/{key}/versions/1/test", template).param("channel", "EMAIL")
				.with(user("ann").roles("APPROVER"))
				.with(csrf()))
			.andExpect(status().isForbidden());
		assertThat(mail.getReceivedMessages()).hasSize(1);
		for (String staff : List.of("ann", "otto")) {
			this.mvc.perform(get("/admin/me").with(user(staff).roles("APPROVER"))).andExpect(status().isOk());
		}
	}

	private long count(String table) {
		return this.jdbc.sql("SELECT count(*) FROM " + table).query(Long.class).single();
	}

}
