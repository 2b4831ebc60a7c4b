package org.ccm.admin;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.ccm.core.Channel;
import org.ccm.core.CustomerProfile;
import org.ccm.core.Customers;
import org.ccm.core.Purpose;
import org.ccm.core.Segments;
import org.ccm.delivery.CommunicationView;
import org.ccm.delivery.Communications;
import org.ccm.delivery.DeliveryStatus;
import org.ccm.delivery.SendRequest;
import org.ccm.templates.TemplateAuthoring;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The operations dashboard on the platform's own meters and tables, for operators only.
 */
@AdminIntegrationTest
class OperationsDashboardTests {

	static final RequestPostProcessor OTTO = user("otto").roles("OPS");

	static final RequestPostProcessor ADA = user("ada").roles("ADMIN");

	@Autowired
	MockMvc mvc;

	@Autowired
	MeterRegistry registry;

	@Autowired
	MessageRates rates;

	@Autowired
	Communications communications;

	@Autowired
	Customers customers;

	@Autowired
	Segments segments;

	@Autowired
	TemplateAuthoring authoring;

	@Test
	void operatorsAndAdministratorsSeeTheDashboardOthersGetForbidden() throws Exception {
		for (RequestPostProcessor allowed : List.of(OTTO, ADA)) {
			Document page = page(get("/admin/operations").with(allowed), 200);
			assertThat(page.select("nav a[href='/admin/operations']")).hasSize(1);
			page(get("/admin/operations/figures").with(allowed), 200);
			page(get("/admin/operations/failures").with(allowed), 200);
		}
		for (String role : List.of("MARKETER", "APPROVER", "BRAND")) {
			RequestPostProcessor refused = user("someone").roles(role);
			assertThat(page(get("/admin/operations").with(refused), 403).text())
				.contains("Only operators and administrators see the operations dashboard.");
			page(get("/admin/operations/figures").with(refused), 403);
			page(get("/admin/operations/failures").with(refused), 403);
			assertThat(page(get("/admin").with(refused), 200).select("nav a[href='/admin/operations']")).isEmpty();
		}
	}

	@Test
	void failuresAboveTheConfiguredShareAreFlaggedAndLinkedToTheFailedDeliveries() throws Exception {
		// letters through the pipeline (so its consumers have committed offsets), one of
		// them reported undeliverable afterwards: both count, whichever instance sent
		// them
		CampaignFixtures fixtures = new CampaignFixtures(this.customers, this.segments, this.authoring);
		String template = fixtures.template(Purpose.TRANSACTIONAL, Set.of(Channel.PRINT, Channel.PORTAL));
		List<CustomerProfile> customers = fixtures.audience(2, 0).members();
		List<UUID> deliveries = new ArrayList<>();
		for (CustomerProfile customer : customers) {
			UUID id = this.communications
				.accept(new SendRequest(customer.externalId(), template, Purpose.TRANSACTIONAL, Map.of(),
						List.of(Channel.PRINT)), UUID.randomUUID().toString(), "operations-tests")
				.communicationId();
			deliveries.add(await().atMost(Duration.ofSeconds(60))
				.until(() -> this.communications.find(id).map(CommunicationView::deliveries).orElse(List.of()),
						(d) -> !d.isEmpty() && d.get(0).status() == DeliveryStatus.SENT)
				.get(0)
				.id());
		}
		this.communications.recordEngagement(deliveries.get(0), DeliveryStatus.PERMANENT_FAILURE, Instant.now());
		Timer provider = Timer.builder("ccm.messages.provider")
			.tags("channel", "sms", "provider", "twilio", "outcome", "success")
			.register(this.registry);
		provider.record(Duration.ofMillis(30));
		provider.record(Duration.ofMillis(50));
		Timer.builder("ccm.messages.provider")
			.tags("channel", "sms", "provider", "twilio", "outcome", "failure")
			.register(this.registry)
			.record(Duration.ofMillis(100));

		Document page = page(get("/admin/operations").with(OTTO), 200);
		assertThat(page.select("#range").text()).contains("UTC to")
			.contains("from the deliveries' own records (when each was sent, and each failed attempt), "
					+ "which every instance of the platform writes");
		assertThat(page.select("#figures").attr("hx-trigger")).isEqualTo("every 10s, poll-now");
		assertThat(page.select("#channels thead th").eachText()).contains("Sent, last full minute");
		assertThat(page.select("#channels tbody tr").eachText())
			.anyMatch((row) -> row.startsWith("print") && row.contains("above 3.0 %"));
		assertThat(this.rates.intervals().stream().mapToLong((i) -> i.sent().getOrDefault("print", 0L)).sum())
			.isGreaterThanOrEqualTo(2);
		assertThat(this.rates.intervals().stream().mapToLong((i) -> i.failed().getOrDefault("print", 0L)).sum())
			.isGreaterThanOrEqualTo(1);
		assertThat(page.select("#failure-warning").text()).startsWith("Failures above 3.0 % on:").contains("print");
		assertThat(page.select("#failures-link").attr("href")).isEqualTo("/admin/operations/failures");
		assertThat(page.select("#providers tbody tr").eachText()).contains("twilio (sms) 33.3 % of 3 60.0 ms 100.0 ms");
		assertThat(page.select("#messages-chart").attr("data-chart")).contains("\"label\":\"print\"");
		assertThat(page.select("#lag tbody tr").eachText())
			.anyMatch((row) -> row.contains("ccm.communications.requested"));
		assertThat(page.select("#dead-letters").attr("href")).isEqualTo("/admin/dead-letters");
		assertThat(page.select("#print-heading").text()).startsWith("Print batches of 20");
		assertThat(page.select("#imports-heading")).hasSize(1);
	}

	@Test
	void reasonsAreExplainedInPlainWords() {
		assertThat(
				OperationsDashboard.plainWords("550 5.1.1 <x@example.com>: Recipient address rejected: User unknown"))
			.isEqualTo("The email address does not exist: ask the customer for a new one.");
		assertThat(OperationsDashboard.plainWords("Couldn't connect to host, port: localhost, 25; timeout -1"))
			.startsWith("The provider could not be reached");
		assertThat(OperationsDashboard.plainWords(null)).isEqualTo("No reason was recorded.");
	}

	private Document page(MockHttpServletRequestBuilder request, int status) throws Exception {
		return Jsoup.parse(this.mvc.perform(request)
			.andExpect(status().is(status))
			.andReturn()
			.getResponse()
			.getContentAsString());
	}

}
