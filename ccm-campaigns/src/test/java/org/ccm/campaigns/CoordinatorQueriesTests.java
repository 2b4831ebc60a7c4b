package org.ccm.campaigns;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the coordinating job reads twice a second must not grow with the recipient lists
 * of every campaign ever sent.
 */
class CoordinatorQueriesTests extends CampaignIntegrationTest {

	@Autowired
	PlatformTransactionManager transactionManager;

	@Autowired
	Coordinator coordinator;

	@Autowired
	MeterRegistry meters;

	@Test
	void staleRecipientsAreFoundByAnIndexOfTheQueuedOnes() {
		// sequential scans off: the plan shows whether an index can answer at all,
		// whatever
		// the size of the table here
		String plan = new TransactionTemplate(this.transactionManager).execute((status) -> {
			this.jdbc.sql("SET LOCAL enable_seqscan = off").update();
			Timestamp now = Timestamp.from(Instant.now());
			return String.join("\n",
					this.jdbc.sql("EXPLAIN " + Recipients.REQUEUE_STALE).params(now, now).query(String.class).list());
		});
		assertThat(plan).contains("campaign_recipient_queued_idx").doesNotContain("Seq Scan");
	}

	@Test
	void theGaugesCountTheRecipientsOfEveryActiveCampaignPerStatus() {
		CampaignFixtures.Audience audience = this.fixtures.audience(7);
		String template = this.fixtures.template();
		CampaignRequest later = new CampaignRequest("Winter news", audience.segment(), template,
				org.ccm.core.Purpose.MARKETING, Map.of("season", "winter"),
				new CampaignRequest.Schedule(CampaignRequest.ScheduleKind.AT, Instant.now().plus(1, ChronoUnit.DAYS),
						null, null),
				new CampaignRequest.Throttle(100, null), null, null, null);
		Campaign scheduled = this.campaigns.launch(this.campaigns.create(later, "test").id());
		assertThat(scheduled.state()).isEqualTo(CampaignState.SCHEDULED);

		this.coordinator.measure();

		assertThat(this.meters.get("ccm.campaigns.recipients")
			.tags("campaign", scheduled.id().toString(), "status", "PENDING")
			.gauge()
			.value()).isEqualTo(7.0);

		this.campaigns.cancel(scheduled.id());
		this.coordinator.measure();
		assertThat(this.meters.find("ccm.campaigns.recipients").tags("campaign", scheduled.id().toString()).gauges())
			.isEmpty();
	}

}
