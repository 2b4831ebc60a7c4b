package org.ccm.tracking;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.ccm.core.Channel;
import org.ccm.core.CustomerDetails;
import org.ccm.core.CustomerProfile;
import org.ccm.core.Customers;
import org.ccm.core.InteractionType;
import org.ccm.core.Purpose;
import org.ccm.core.Timeline;
import org.ccm.delivery.CommunicationView;
import org.ccm.delivery.Communications;
import org.ccm.delivery.DeliveryStatus;
import org.ccm.delivery.DeliveryStatusChanged;
import org.ccm.delivery.DeliveryView;
import org.ccm.delivery.SendRequest;
import org.ccm.tracking.RecordedInteractions.Recorded;
import org.ccm.tracking.TrackingToken.Delivery;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpHeaders;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Opens and clicks of machines are recorded and flagged, and kept out of engagement
 * counts, delivery statuses and the timeline that segment rules read.
 */
@TrackingIntegrationTest
@TestPropertySource(
		properties = { "ccm.tracking.machine.click-after-sending=10s", "ccm.tracking.machine.click-burst=1s" })
class MachineHitsTests {

	static final String SAFARI = MachineTrafficTests.SAFARI;

	@Autowired
	MockMvc mvc;

	@Autowired
	TrackingTokens tokens;

	@Autowired
	Customers customers;

	@Autowired
	Communications communications;

	@Autowired
	Timeline timeline;

	@Autowired
	Engagement engagement;

	@Autowired
	RecordedInteractions recorded;

	@Autowired
	ApplicationEventPublisher publisher;

	@Autowired
	TransactionTemplate transactions;

	@Test
	void aPrivacyProtectionPrefetchChangesNoStatusAndNeverReachesTheTimeline() throws Exception {
		CustomerProfile customer = customer();
		Delivery delivery = realDelivery(customer);

		open(customer, delivery, "Mozilla/5.0", "17.58.63.10");
		Recorded prefetch = await().until(() -> recorded.of(customer.id()), (all) -> !all.isEmpty()).get(0);

		assertThat(prefetch.type()).isEqualTo("OPENED");
		assertThat(prefetch.machine()).isEqualTo(MachineTraffic.PROXY_RANGE);
		assertThat(engagement.ofCustomer(customer.id()).opened()).isZero();
		assertThat(engagement.ofCustomer(customer.id()).opens()).isZero();
		assertThat(deliveryStatus(delivery)).isEqualTo(DeliveryStatus.SENT);
		assertThat(timeline.page(customer.id(), null, 50).entries())
			.noneMatch((entry) -> entry.type() == InteractionType.OPENED);

		open(customer, delivery, SAFARI, "203.0.113.5");

		await().untilAsserted(() -> assertThat(deliveryStatus(delivery)).isEqualTo(DeliveryStatus.OPENED));
		assertThat(engagement.ofCustomer(customer.id()).opened()).isEqualTo(1);
		assertThat(timeline.page(customer.id(), null, 50).entries())
			.filteredOn((entry) -> entry.type() == InteractionType.OPENED)
			.hasSize(1);
	}

	@Test
	void aScannerAgentsClickIsFlagged() throws Exception {
		CustomerProfile customer = customer();
		Delivery delivery = sent(customer, Instant.now().minusSeconds(600));

		click(customer, delivery, "https://example.com/pay", "Mozilla/5.0 (compatible; Proofpoint URL Defense)",
				"203.0.113.9");

		assertThat(await().until(() -> recorded.of(customer.id()), (all) -> all.size() == 1).get(0).machine())
			.isEqualTo(MachineTraffic.SCANNER_AGENT);
		assertThat(engagement.ofCustomer(customer.id()).clicks()).isZero();
	}

	@Test
	void aClickSecondsAfterSendingIsAScannersAndALaterOneAPersons() throws Exception {
		CustomerProfile customer = customer();
		Delivery justSent = sent(customer, Instant.now());
		Delivery sentEarlier = sent(customer, Instant.now().minusSeconds(600));

		click(customer, justSent, "https://example.com/pay", SAFARI, "203.0.113.5");
		click(customer, sentEarlier, "https://example.com/pay", SAFARI, "203.0.113.5");

		List<Recorded> clicks = await().until(() -> recorded.of(customer.id()), (all) -> all.size() == 2);
		assertThat(clicks).filteredOn((click) -> click.deliveryId().equals(justSent.deliveryId()))
			.singleElement()
			.extracting(Recorded::machine)
			.isEqualTo(MachineTraffic.CLICK_AFTER_SENDING);
		assertThat(clicks).filteredOn((click) -> click.deliveryId().equals(sentEarlier.deliveryId()))
			.singleElement()
			.extracting(Recorded::machine)
			.isNull();
		EngagementCounts counts = engagement.ofCustomer(customer.id());
		assertThat(counts.clicks()).isEqualTo(1);
		assertThat(counts.clicked()).isEqualTo(1);
		assertThat(counts.clickRate()).isEqualTo(0.5);
	}

	@Test
	void clicksOnEveryLinkAtOnceAreAScannersEvenTheFirst() throws Exception {
		CustomerProfile customer = customer();
		Delivery delivery = sent(customer, Instant.now().minusSeconds(600));

		click(customer, delivery, "https://example.com/pay", SAFARI, "203.0.113.5");
		click(customer, delivery, "https://example.com/account", SAFARI, "203.0.113.5");
		click(customer, delivery, "https://example.com/help", SAFARI, "203.0.113.5");

		List<Recorded> clicks = await().until(() -> recorded.of(customer.id()), (all) -> all.size() == 3);
		assertThat(clicks).extracting(Recorded::machine).containsOnly(MachineTraffic.CLICK_BURST);
		EngagementCounts counts = engagement.ofCustomer(customer.id());
		assertThat(counts.clicks()).isZero();
		assertThat(counts.clicked()).isZero();
	}

	@Test
	void aPersonClickingTheSameLinkTwiceIsNoBurst() throws Exception {
		CustomerProfile customer = customer();
		Delivery delivery = sent(customer, Instant.now().minusSeconds(600));

		click(customer, delivery, "https://example.com/pay", SAFARI, "203.0.113.5");
		click(customer, delivery, "https://example.com/pay", SAFARI, "203.0.113.5");

		List<Recorded> clicks = await().until(() -> recorded.of(customer.id()), (all) -> all.size() == 2);
		assertThat(clicks).extracting(Recorded::machine).containsOnlyNulls();
		assertThat(engagement.ofCustomer(customer.id()).clicks()).isEqualTo(2);
	}

	private void open(CustomerProfile customer, Delivery delivery, String userAgent, String address) throws Exception {
		mvc.perform(get("/t/o/{token}.gif", tokens.sign(TrackingToken.open(customer.id(), delivery)))
			.header(HttpHeaders.USER_AGENT, userAgent)
			.with((request) -> {
				request.setRemoteAddr(address);
				return request;
			})).andExpect(status().isOk());
	}

	private void click(CustomerProfile customer, Delivery delivery, String url, String userAgent, String address)
			throws Exception {
		mvc.perform(get("/t/c/{token}", tokens.sign(TrackingToken.click(customer.id(), delivery, url)))
			.header(HttpHeaders.USER_AGENT, userAgent)
			.with((request) -> {
				request.setRemoteAddr(address);
				return request;
			})).andExpect(status().isFound());
	}

	private Delivery sent(CustomerProfile customer, Instant at) {
		Delivery delivery = new Delivery(UUID.randomUUID(), UUID.randomUUID(), Channel.EMAIL);
		long before = engagement.ofCustomer(customer.id()).sent();
		transactions.executeWithoutResult((tx) -> publisher
			.publishEvent(new DeliveryStatusChanged(delivery.communicationId(), delivery.deliveryId(), customer.id(),
					"winter-offers", Channel.EMAIL, DeliveryStatus.SENT, at, null)));
		await().until(() -> engagement.ofCustomer(customer.id()).sent() == before + 1);
		return delivery;
	}

	private Delivery realDelivery(CustomerProfile customer) {
		SendRequest invoice = new SendRequest(customer.externalId(), "invoice", Purpose.TRANSACTIONAL,
				Map.of("invoiceNumber", "INV-79", "issueDate", "2026-11-01", "dueDate", "2026-11-30", "currency", "GBP",
						"lines", List.of(Map.of("description", "Water, October", "quantity", 1, "unitPrice", 31.40)),
						"total", 31.40),
				List.of(Channel.PORTAL));
		UUID communicationId;
		try {
			communicationId = communications.accept(invoice, UUID.randomUUID().toString(), "machine-tests")
				.communicationId();
		}
		catch (UnsupportedOperationException ex) {
			Assumptions.abort("needs the published 'invoice' template: " + ex.getMessage());
			throw ex;
		}
		DeliveryView sent = await().atMost(Duration.ofSeconds(60))
			.until(() -> communications.find(communicationId)
				.map(CommunicationView::deliveries)
				.filter((deliveries) -> !deliveries.isEmpty())
				.map((deliveries) -> deliveries.get(0))
				.orElse(null), (delivery) -> delivery != null && delivery.status() == DeliveryStatus.SENT);
		return new Delivery(sent.id(), communicationId, sent.channel());
	}

	private DeliveryStatus deliveryStatus(Delivery delivery) {
		return communications.find(delivery.communicationId()).orElseThrow().deliveries().get(0).status();
	}

	private CustomerProfile customer() {
		return customers.upsert("M-" + UUID.randomUUID(),
				new CustomerDetails("Machine-read Customer", Locale.UK, ZoneId.of("Europe/London"), null, null, null,
						Map.of(), Map.of(Purpose.TRANSACTIONAL, List.of(Channel.PORTAL)), null, List.of()));
	}

}
