package org.ccm.tracking;

import java.time.Duration;
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
import org.ccm.core.TimelineEntry;
import org.ccm.delivery.CommunicationView;
import org.ccm.delivery.Communications;
import org.ccm.delivery.DeliveryStatus;
import org.ccm.delivery.DeliveryView;
import org.ccm.delivery.SendRequest;
import org.ccm.tracking.TrackingToken.Delivery;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Opens and clicks of a real delivery, accepted and delivered by the delivery module,
 * reach the delivery's status, the customer's timeline and the per-template statistics.
 */
@TrackingIntegrationTest
class DeliveredMessageTrackingTests {

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

	@Test
	void thePixelAndAClickRecordOpenedAndClickedOnTheDeliveryAndTheTimeline() throws Exception {
		CustomerProfile customer = customer();
		UUID communicationId = accept(customer);
		DeliveryView sent = await().atMost(Duration.ofSeconds(60))
			.until(() -> communications.find(communicationId)
				.map(CommunicationView::deliveries)
				.filter((deliveries) -> !deliveries.isEmpty())
				.map((deliveries) -> deliveries.get(0))
				.orElse(null),
					(delivery) -> delivery != null && delivery.status() == DeliveryStatus.SENT
							|| delivery != null && delivery.status() == DeliveryStatus.DELIVERED);
		Delivery delivery = new Delivery(sent.id(), communicationId, sent.channel());
		long sentBefore = engagement.ofTemplate("invoice").sent();

		for (int i = 0; i < 3; i++) {
			mvc.perform(get("/t/o/{token}.gif", tokens.sign(TrackingToken.open(customer.id(), delivery))))
				.andExpect(status().isOk());
		}
		await().untilAsserted(() -> assertThat(deliveryStatus(communicationId)).isEqualTo(DeliveryStatus.OPENED));
		mvc.perform(get("/t/c/{token}",
				tokens.sign(TrackingToken.click(customer.id(), delivery, "https://example.com/pay"))))
			.andExpect(status().isFound())
			.andExpect(header().string(HttpHeaders.LOCATION, "https://example.com/pay"));
		await().untilAsserted(() -> assertThat(deliveryStatus(communicationId)).isEqualTo(DeliveryStatus.CLICKED));

		List<TimelineEntry> entries = timeline.page(customer.id(), null, 50).entries();
		assertThat(entries.stream().filter((entry) -> entry.type() == InteractionType.OPENED)).as("repeated opens")
			.hasSize(1);
		assertThat(entries.stream().filter((entry) -> entry.type() == InteractionType.CLICKED)).hasSize(1);
		EngagementCounts byTemplate = await().atMost(Duration.ofSeconds(10))
			.until(() -> engagement.ofTemplate("invoice"), (counts) -> counts.sent() >= 1);
		assertThat(byTemplate.opened()).isPositive();
		assertThat(byTemplate.clicked()).isPositive();
		assertThat(sentBefore).isLessThanOrEqualTo(byTemplate.sent());
	}

	private DeliveryStatus deliveryStatus(UUID communicationId) {
		return communications.find(communicationId).orElseThrow().deliveries().get(0).status();
	}

	private UUID accept(CustomerProfile customer) {
		SendRequest invoice = new SendRequest(customer.externalId(), "invoice", Purpose.TRANSACTIONAL,
				Map.of("invoiceNumber", "INV-77", "issueDate", "2026-11-01", "dueDate", "2026-11-30", "currency", "GBP",
						"lines",
						List.of(Map.of("description", "Electricity, October", "quantity", 1, "unitPrice", 84.20)),
						"total", 84.20),
				List.of(Channel.PORTAL));
		try {
			return communications.accept(invoice, UUID.randomUUID().toString(), "tracking-tests").communicationId();
		}
		catch (UnsupportedOperationException ex) {
			Assumptions.abort("needs the templates module's published 'invoice' template: " + ex.getMessage());
			throw ex;
		}
	}

	private CustomerProfile customer() {
		String externalId = "D-" + UUID.randomUUID();
		return customers.upsert(externalId,
				new CustomerDetails("Delivered Customer", Locale.UK, ZoneId.of("Europe/London"), null, null, null,
						Map.of(), Map.of(Purpose.TRANSACTIONAL, List.of(Channel.PORTAL)), null, List.of()));
	}

}
