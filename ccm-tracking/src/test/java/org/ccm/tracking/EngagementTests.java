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
import org.ccm.delivery.DeliveryStatus;
import org.ccm.delivery.DeliveryStatusChanged;
import org.ccm.tracking.TrackingToken.Delivery;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@TrackingIntegrationTest
class EngagementTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	TrackingTokens tokens;

	@Autowired
	Customers customers;

	@Autowired
	Engagement engagement;

	@Autowired
	ApplicationEventPublisher publisher;

	@Autowired
	TransactionTemplate transactions;

	@Autowired
	Interactions interactions;

	@Test
	void aCustomersCountsComeFromSentDeliveriesAndTheirOpensAndClicks() throws Exception {
		CustomerProfile customer = customer();
		CustomerProfile someoneElse = customer();
		List<Delivery> deliveries = List.of(sent(customer), sent(customer), sent(customer), sent(someoneElse));

		open(customer, deliveries.get(0));
		open(customer, deliveries.get(0));
		open(customer, deliveries.get(1));
		click(customer, deliveries.get(1));
		click(customer, deliveries.get(1));
		open(someoneElse, deliveries.get(3));

		EngagementCounts counts = await().until(() -> engagement.ofCustomer(customer.id()),
				(current) -> current.opens() + current.clicks() == 5 && current.sent() == 3);
		assertThat(counts).isEqualTo(new EngagementCounts(3, 2, 1, 3, 2));
		assertThat(counts.openRate()).isEqualTo(2.0 / 3);
		assertThat(counts.clickRate()).isEqualTo(1.0 / 3);
		assertThat(await().until(() -> engagement.ofCustomer(someoneElse.id()),
				(current) -> current.opens() == 1 && current.sent() == 1))
			.isEqualTo(new EngagementCounts(1, 1, 0, 1, 0));
		assertThat(engagement.ofCustomer(UUID.randomUUID())).isEqualTo(EngagementCounts.NONE);
		assertThat(engagement.ofTemplate("no-such-template-" + UUID.randomUUID())).isEqualTo(EngagementCounts.NONE);
	}

	@Test
	void aHitTheDatabaseRefusesDoesNotTakeTheRestOfItsBatchWithIt() {
		CustomerProfile customer = customer();
		Delivery first = sent(customer);
		Delivery second = sent(customer);
		Instant now = Instant.now();
		// PostgreSQL refuses NUL characters in jsonb: the click's detail cannot be stored
		Hit refused = Hit.of(TrackingToken.click(customer.id(), first, "https://example.com/\u0000"), now);

		interactions.recordAll(List.of(Hit.of(TrackingToken.open(customer.id(), first), now), refused,
				Hit.of(TrackingToken.open(customer.id(), second), now)));

		// the sent deliveries arrive through the delivery module's events, asynchronously
		await().untilAsserted(
				() -> assertThat(engagement.ofCustomer(customer.id())).isEqualTo(new EngagementCounts(2, 2, 0, 2, 0)));
	}

	private Delivery sent(CustomerProfile customer) {
		Delivery delivery = new Delivery(UUID.randomUUID(), UUID.randomUUID(), Channel.EMAIL);
		transactions.executeWithoutResult((tx) -> publisher
			.publishEvent(new DeliveryStatusChanged(delivery.communicationId(), delivery.deliveryId(), customer.id(),
					"invoice", Channel.EMAIL, DeliveryStatus.SENT, Instant.now(), null)));
		return delivery;
	}

	private void open(CustomerProfile customer, Delivery delivery) throws Exception {
		mvc.perform(get("/t/o/{token}.gif", tokens.sign(TrackingToken.open(customer.id(), delivery))))
			.andExpect(status().isOk());
	}

	private void click(CustomerProfile customer, Delivery delivery) throws Exception {
		mvc.perform(get("/t/c/{token}",
				tokens.sign(TrackingToken.click(customer.id(), delivery, "https://example.com/" + UUID.randomUUID()))))
			.andExpect(status().isFound());
	}

	private CustomerProfile customer() {
		String externalId = "E-" + UUID.randomUUID();
		return customers.upsert(externalId, new CustomerDetails("Engaged Customer", Locale.UK,
				ZoneId.of("Europe/London"), null, null, null, Map.of(), Map.of(), null, List.of()));
	}

}
