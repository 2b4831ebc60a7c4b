package org.ccm.campaigns;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What runs every few seconds while a campaign goes out (the coordinating job twice a
 * second, the progress a campaign page polls) must not read recipients it does not need:
 * not those of finished campaigns, not all of a large campaign's.
 */
class RecurringQueriesTests extends CampaignIntegrationTest {

	@Autowired
	PlatformTransactionManager transactionManager;

	@Autowired
	Coordinator coordinator;

	@Autowired
	MeterRegistry meters;

	@Autowired
	Recipients recipients;

	@Test
	void staleRecipientsAreFoundWithoutReadingFinishedCampaigns() {
		// either partial index holds open recipients only (the planner picks by their
		// sizes); a finished campaign's recipients are in neither
		Timestamp now = Timestamp.from(Instant.now());
		assertThat(plan(Recipients.REQUEUE_STALE, now, now)).doesNotContain("Seq Scan")
			.containsAnyOf("campaign_recipient_queued_idx", "campaign_recipient_open_idx");
	}

	@Test
	void whetherACampaignHasAnOpenRecipientIsAnsweredByTheFirstEntryOfAnIndex() {
		assertThat(plan(Recipients.ANY_OPEN, UUID.randomUUID())).contains("campaign_recipient_open_idx")
			.contains("Limit")
			.doesNotContain("Seq Scan")
			.doesNotContain("Sort");
	}

	@Test
	void aProgressReportCountsTheRecentlyAcceptedByAnIndex() {
		assertThat(plan(Campaigns.RECENTLY_ACCEPTED, UUID.randomUUID(), Timestamp.from(Instant.now())))
			.contains("campaign_recipient_accepted_idx")
			.contains("accepted_at >");
	}

	@Test
	void aProgressReportReadsTheTallyAndNoRecipient() {
		UUID[] campaign = { UUID.randomUUID() };
		assertThat(plan(Recipients.TALLY, campaign, campaign)).contains("campaign_tally")
			.doesNotContain("campaign_recipient");
	}

	@Test
	void aCampaignsResultsReadTheFunnelTallyAndNoRecipient() {
		UUID campaign = UUID.randomUUID();
		assertThat(plan(Recipients.FUNNEL, campaign, campaign)).contains("campaign_funnel")
			.doesNotContain("campaign_recipient");
	}

	@Test
	void theTallyFollowsEveryStatementThatChangesRecipientsAndAFoldKeepsItsCounts() {
		CampaignFixtures.Audience audience = this.fixtures.audience(5);
		UUID id = this.campaigns.create(request(audience.segment(), this.fixtures.template(), 100), "test").id();
		new TransactionTemplate(this.transactionManager).executeWithoutResult((status) -> {
			// a draft's recipients, which no job touches: frozen as the launch does, then
			// moved as the engine does
			this.jdbc
				.sql("""
						INSERT INTO campaign_recipient (campaign_id, step, seq, customer_id, external_id, time_zone, channel,
						                                wave, status, updated_at)
						SELECT ?, 1, g, gen_random_uuid(), 'tally-' || g, 'UTC', 'EMAIL', 1, 'PENDING', now()
						  FROM generate_series(1, 5) g""")
				.param(id)
				.update();
			this.jdbc.sql("UPDATE campaign_recipient SET status = 'QUEUED' WHERE campaign_id = ? AND seq <= 3")
				.param(id)
				.update();
			this.jdbc.sql(
					"UPDATE campaign_recipient SET status = 'SENT', sent_channel = 'SMS' WHERE campaign_id = ? AND seq = 1")
				.param(id)
				.update();
			// no status or channel changes: nothing to count
			this.jdbc.sql("UPDATE campaign_recipient SET engagement = 3 WHERE campaign_id = ? AND seq = 1")
				.param(id)
				.update();
			this.jdbc.sql("DELETE FROM campaign_recipient WHERE campaign_id = ? AND seq = 5").param(id).update();
			// machine traffic and a sent recipient that is removed again: the funnel
			// follows
			this.jdbc.sql(
					"UPDATE campaign_recipient SET machine_opens = 2, machine_clicks = 1 WHERE campaign_id = ? AND seq = 1")
				.param(id)
				.update();
			this.jdbc
				.sql("""
						INSERT INTO campaign_recipient (campaign_id, step, seq, customer_id, external_id, time_zone, channel,
						                                wave, status, sent_channel, engagement, machine_opens, updated_at)
						VALUES (?, 2, 1, gen_random_uuid(), 'tally-6', 'UTC', 'EMAIL', 1, 'SENT', 'EMAIL', 1, 5, now())""")
				.param(id)
				.update();
			this.jdbc.sql("DELETE FROM campaign_recipient WHERE campaign_id = ? AND step = 2").param(id).update();
		});
		List<CampaignResults.Funnel> funnel = List.of(new CampaignResults.Funnel(1, null, "SMS", 1, 1, 1, 0, 0, 2, 1));
		assertThat(this.campaigns.results(id).funnels()).isEqualTo(funnel);
		Map<String, Map<RecipientStatus, Long>> expected = Map.of("EMAIL",
				Map.of(RecipientStatus.PENDING, 1L, RecipientStatus.QUEUED, 2L), "SMS",
				Map.of(RecipientStatus.SENT, 1L));
		assertThat(this.campaigns.progress(id).byChannel()).isEqualTo(expected);

		new TransactionTemplate(this.transactionManager).executeWithoutResult((status) -> this.recipients.foldTally());

		assertThat(this.jdbc.sql("SELECT count(*) FROM campaign_tally_change WHERE campaign_id = ?")
			.param(id)
			.query(Long.class)
			.single()).isZero();
		assertThat(this.jdbc.sql("SELECT count(*) FROM campaign_funnel_change WHERE campaign_id = ?")
			.param(id)
			.query(Long.class)
			.single()).isZero();
		assertThat(this.campaigns.progress(id).byChannel()).isEqualTo(expected);
		assertThat(this.campaigns.progress(id).total()).isEqualTo(4);
		assertThat(this.campaigns.results(id).funnels()).isEqualTo(funnel);
	}

	@Test
	void theResultsOverTimeCountEachRecipientInThePeriodItReachedEachStage() {
		UUID id = this.campaigns
			.create(request(this.fixtures.audience(1).segment(), this.fixtures.template(), 100), "test")
			.id();
		this.jdbc
			.sql("""
					INSERT INTO campaign_recipient (campaign_id, step, seq, customer_id, external_id, time_zone, channel, wave,
					                                status, sent_channel, engagement, sent_at, delivered_at, opened_at,
					                                clicked_at, updated_at)
					VALUES (:id, 1, 1, gen_random_uuid(), 'over-time-1', 'UTC', 'EMAIL', 1, 'SENT', 'EMAIL', 4,
					        '2026-01-05T10:05Z', '2026-01-05T10:06Z', '2026-01-05T11:30Z', '2026-01-05T11:31Z', now()),
					       (:id, 1, 2, gen_random_uuid(), 'over-time-2', 'UTC', 'EMAIL', 1, 'SENT', 'SMS', 1,
					        '2026-01-05T10:20Z', NULL, NULL, NULL, now()),
					       (:id, 1, 3, gen_random_uuid(), 'over-time-3', 'UTC', 'EMAIL', 1, 'PENDING', NULL, 0,
					        NULL, NULL, NULL, NULL, now())""")
			.param("id", id)
			.update();
		Instant ten = Instant.parse("2026-01-05T10:00:00Z");
		Instant eleven = Instant.parse("2026-01-05T11:00:00Z");

		assertThat(this.campaigns.timeline(id, ChronoUnit.HOURS)).containsExactly(
				new CampaignResults.Moment(ten, 1, null, "EMAIL", 1, 1, 0, 0, 0),
				new CampaignResults.Moment(ten, 1, null, "SMS", 1, 0, 0, 0, 0),
				new CampaignResults.Moment(eleven, 1, null, "EMAIL", 0, 0, 1, 1, 0));
		assertThat(this.campaigns.timeline(id, ChronoUnit.DAYS)).containsExactly(
				new CampaignResults.Moment(Instant.parse("2026-01-05T00:00:00Z"), 1, null, "EMAIL", 1, 1, 1, 1, 0),
				new CampaignResults.Moment(Instant.parse("2026-01-05T00:00:00Z"), 1, null, "SMS", 1, 0, 0, 0, 0));
	}

	/**
	 * The plan in a transaction that is rolled back, over a history the size of a real
	 * one (20,000 recipients of an earlier campaign, nearly all sent a day ago, its
	 * statistics gathered): on an empty table the planner's choice between indexes would
	 * depend on which tests ran before. Sequential scans and sorts are off, so the plan
	 * shows whether an index answers at all.
	 */
	private String plan(String sql, Object... params) {
		UUID earlier = this.campaigns
			.create(request(this.fixtures.audience(1).segment(), this.fixtures.template(), 100), "test")
			.id();
		return new TransactionTemplate(this.transactionManager).execute((status) -> {
			this.jdbc
				.sql("""
						INSERT INTO campaign_recipient (campaign_id, step, seq, customer_id, external_id, time_zone, channel,
						                                wave, status, queued_at, accepted_at, updated_at)
						SELECT ?, 1, g, gen_random_uuid(), 'history-' || g, 'UTC', 'EMAIL', 1,
						       CASE WHEN g % 500 = 0 THEN 'QUEUED' ELSE 'SENT' END,
						       now() - interval '1 day', now() - interval '1 day', now()
						  FROM generate_series(1, 20000) g""")
				.param(earlier)
				.update();
			this.jdbc.sql("ANALYZE campaign_recipient").update();
			this.jdbc.sql("SET LOCAL enable_seqscan = off").update();
			this.jdbc.sql("SET LOCAL enable_sort = off").update();
			String plan = String.join("\n", this.jdbc.sql("EXPLAIN " + sql).params(params).query(String.class).list());
			status.setRollbackOnly();
			return plan;
		});
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
