package org.ccm.admin;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

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
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Per-minute figures from delivery's status history on the real pipeline: a message sent
 * and a failure reported afterwards are counted in their minute and channel, every minute
 * of the window is there, and nothing older.
 */
@AdminIntegrationTest
class MessageRatesTests {

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
	void eachMinuteOfTheWindowCountsWhatEveryInstanceSentAndFailedPerChannel() {
		List<MessageRates.Interval> before = this.rates.intervals();
		CampaignFixtures fixtures = new CampaignFixtures(this.customers, this.segments, this.authoring);
		String template = fixtures.template(Purpose.TRANSACTIONAL, Set.of(Channel.PRINT, Channel.PORTAL));
		CustomerProfile customer = fixtures.audience(1, 0).members().get(0);
		UUID id = this.communications
			.accept(new SendRequest(customer.externalId(), template, Purpose.TRANSACTIONAL, Map.of(),
					List.of(Channel.PRINT)), UUID.randomUUID().toString(), "message-rates-tests")
			.communicationId();
		UUID delivery = await().atMost(Duration.ofSeconds(60))
			.until(() -> this.communications.find(id).map(CommunicationView::deliveries).orElse(List.of()),
					(d) -> !d.isEmpty() && d.get(0).status() == DeliveryStatus.SENT)
			.get(0)
			.id();
		this.communications.recordEngagement(delivery, DeliveryStatus.PERMANENT_FAILURE, Instant.now());

		List<MessageRates.Interval> after = this.rates.intervals();
		assertThat(after).hasSizeBetween(60, 61);
		assertThat(after).allSatisfy((i) -> {
			assertThat(i.from().truncatedTo(ChronoUnit.MINUTES)).isEqualTo(i.from());
			assertThat(Duration.between(i.from(), i.to())).isLessThanOrEqualTo(Duration.ofMinutes(1));
		});
		assertThat(after.get(0).from()).isAfter(Instant.now().minus(Duration.ofHours(1)).minusSeconds(60));
		assertThat(total(after, "print", true) - total(before, "print", true)).isEqualTo(1);
		assertThat(total(after, "print", false) - total(before, "print", false)).isEqualTo(1);
	}

	private static long total(List<MessageRates.Interval> intervals, String channel, boolean sent) {
		return intervals.stream().mapToLong((i) -> (sent ? i.sent() : i.failed()).getOrDefault(channel, 0L)).sum();
	}

}
