package org.ccm.tracking;

import java.time.Instant;
import java.util.UUID;
import java.util.function.BiConsumer;

import org.ccm.core.Channel;
import org.ccm.delivery.DeliveryStatus;
import org.ccm.delivery.DeliveryStatusChanged;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.modulith.test.EnableScenarios;
import org.springframework.modulith.test.Scenario;
import org.springframework.transaction.support.TransactionOperations;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The per-template statistics learn a sent delivery's template from the delivery module's
 * event alone: the communications here are unknown to the delivery module, so asking it
 * back would find nothing.
 */
@TrackingIntegrationTest
@EnableScenarios
class TemplateEngagementTests {

	@Autowired
	Engagement engagement;

	@Test
	void aSentDeliveryCountsForTheTemplateItsEventNames(Scenario scenario) {
		String template = "statement-" + UUID.randomUUID();

		scenario.publish(sent(template, DeliveryStatus.SENT))
			.andWaitForStateChange(() -> engagement.ofTemplate(template), (counts) -> counts.sent() == 1)
			.andVerify((counts) -> {
				assertThat(counts).isEqualTo(new EngagementCounts(1, 0, 0, 0, 0));
				assertThat(engagement.byTemplate(1000)).anySatisfy((row) -> {
					assertThat(row.template()).isEqualTo(template);
					assertThat(row.counts().sent()).isEqualTo(1);
				});
			});
	}

	@Test
	void onlyTheSentStatusCountsAsSent(Scenario scenario) {
		String template = "reminder-" + UUID.randomUUID();

		BiConsumer<TransactionOperations, ApplicationEventPublisher> threeChanges = (transactions,
				events) -> transactions.executeWithoutResult((tx) -> {
					events.publishEvent(sent(template, DeliveryStatus.DEFERRED));
					events.publishEvent(sent(template, DeliveryStatus.SUPPRESSED));
					events.publishEvent(sent(template, DeliveryStatus.SENT));
				});
		scenario.stimulate(threeChanges)
			.andWaitForStateChange(() -> engagement.ofTemplate(template), (counts) -> counts.sent() > 0)
			.andVerify((counts) -> assertThat(counts.sent()).isEqualTo(1));
	}

	private static DeliveryStatusChanged sent(String template, DeliveryStatus status) {
		return new DeliveryStatusChanged(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), template,
				Channel.EMAIL, status, Instant.now(), null);
	}

}
