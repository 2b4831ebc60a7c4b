package org.ccm.tracking;

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
import org.ccm.delivery.DeliveryStatus;
import org.ccm.tracking.RecordedInteractions.Recorded;
import org.ccm.tracking.TrackingToken.Delivery;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;

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
	Timeline timeline;

	@Autowired
	Engagement engagement;

	@Autowired
	RecordedInteractions recorded;

	@Autowired
	SentDeliveries sent;

	@Test
	void aPrivacyProtectionPrefetchChangesNoStatusAndNeverReachesTheTimeline() throws Exception {
		CustomerProfile customer = customer();
		Delivery delivery = sent.portalInvoice(customer);

		open(customer, delivery, "Mozilla/5.0", "17.58.63.10");
		Recorded prefetch = await().until(() -> recorded.of(customer.id()), (all) -> !all.isEmpty()).get(0);

		assertThat(prefetch.type()).isEqualTo("OPENED");
		assertThat(prefetch.machine()).isEqualTo(MachineTraffic.PROXY_RANGE);
		assertThat(recorded.machineTraffic(delivery)).as("published for those who count it apart")
			.isEqualTo(new MachineTrafficRecorded(delivery.communicationId(), delivery.deliveryId(), delivery.channel(),
					1, 0));
		assertThat(engagement.ofCustomer(customer.id()).opened()).isZero();
		assertThat(engagement.ofCustomer(customer.id()).opens()).isZero();
		assertThat(sent.status(delivery)).isEqualTo(DeliveryStatus.SENT);
		assertThat(timeline.page(customer.id(), null, 50).entries())
			.noneMatch((entry) -> entry.type() == InteractionType.OPENED);

		open(customer, delivery, SAFARI, "203.0.113.5");

		await().untilAsserted(() -> assertThat(sent.status(delivery)).isEqualTo(DeliveryStatus.OPENED));
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
		assertThat(recorded.machineTraffic(delivery).clicks()).as("the burst's earlier clicks are published with it")
			.isEqualTo(3);
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
		return sent.announced(customer, Channel.EMAIL, at);
	}

	private CustomerProfile customer() {
		return customers.upsert("M-" + UUID.randomUUID(),
				new CustomerDetails("Machine-read Customer", Locale.UK, ZoneId.of("Europe/London"), null, null, null,
						Map.of(), Map.of(Purpose.TRANSACTIONAL, List.of(Channel.PORTAL)), null, List.of()));
	}

}
