package org.ccm.campaigns;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.ccm.core.Channel;
import org.ccm.core.SegmentMembers;
import org.ccm.core.Segments;
import org.ccm.templates.TemplateSummary;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The recipient snapshot of every campaign: frozen at launch, read in pages by fan-out,
 * and moved to a final status as delivery reports back. Every statement is set-based or
 * works on one page, so memory never grows with the segment.
 */
@Component
class Recipients {

	/**
	 * Runs every coordinating round for each running campaign. Not an {@code EXISTS}:
	 * PostgreSQL drops the order inside one and may then read the table from its start;
	 * in the order of the open recipients' index the first row answers.
	 */
	static final String ANY_OPEN = """
			SELECT seq FROM campaign_recipient
			 WHERE campaign_id = ? AND status IN ('PENDING', 'HELD', 'QUEUED', 'ACCEPTED', 'DEFERRED')
			 ORDER BY seq LIMIT 1""";

	/** Runs every coordinating round: reads the queued rows only, by their index. */
	static final String REQUEUE_STALE = """
			UPDATE campaign_recipient SET status = 'PENDING', updated_at = ?
			 WHERE status = 'QUEUED' AND queued_at < ?""";

	/** Runs for every progress request: a few rows per campaign, no recipient read. */
	static final String TALLY = """
			SELECT campaign_id, status, channel, sum(recipients)
			  FROM (SELECT campaign_id, status, channel, recipients FROM campaign_tally WHERE campaign_id = ANY(?)
			        UNION ALL
			        SELECT campaign_id, status, channel, recipients FROM campaign_tally_change WHERE campaign_id = ANY(?)) t
			 GROUP BY 1, 2, 3
			HAVING sum(recipients) <> 0""";

	/**
	 * Runs for the campaign list (each listed campaign) and results: the funnel of each
	 * step, variant and channel from the tally's engagement levels (a stage counts the
	 * levels at or beyond it), no recipient read.
	 */
	static final String FUNNEL = """
			SELECT step, variant, channel, coalesce(sum(recipients) FILTER (WHERE engagement >= 1), 0),
			       coalesce(sum(recipients) FILTER (WHERE engagement >= 2), 0),
			       coalesce(sum(recipients) FILTER (WHERE engagement >= 3), 0),
			       coalesce(sum(recipients) FILTER (WHERE engagement >= 4), 0),
			       coalesce(sum(recipients) FILTER (WHERE engagement >= 5), 0), sum(machine_opens), sum(machine_clicks)
			  FROM (SELECT step, variant, channel, engagement, recipients, machine_opens, machine_clicks
			          FROM campaign_funnel WHERE campaign_id = ?
			        UNION ALL
			        SELECT step, variant, channel, engagement, recipients, machine_opens, machine_clicks
			          FROM campaign_funnel_change WHERE campaign_id = ?) f
			 GROUP BY 1, 2, 3
			HAVING sum(recipients) <> 0
			 ORDER BY 1, 2, 3""";

	/** Where a customer without a usable preference is expected, for throttling. */
	private static final List<Channel> DEFAULT_ORDER = List.of(Channel.EMAIL, Channel.SMS, Channel.PORTAL,
			Channel.PRINT);

	private final JdbcClient jdbc;

	private final Segments segments;

	Recipients(JdbcClient jdbc, Segments segments) {
		this.jdbc = jdbc;
		this.segments = segments;
	}

	/**
	 * Freezes the segment's members as the first step's recipients, ordered by a hash of
	 * campaign and customer, and holds back all but the pilot or A/B test group. Members
	 * the campaign excludes as unresponsive are frozen too, skipped with the reason, and
	 * take no share of the pilot or test group.
	 * @return how many recipients were frozen
	 */
	long freeze(Campaign campaign, TemplateSummary template) {
		CampaignRequest definition = campaign.definition();
		int lastCommunications = (definition.excludeUnresponsive() != null) ? definition.excludeUnresponsive() : 0;
		SegmentMembers members = this.segments.members(definition.segment(), definition.purpose(), lastCommunications);
		Map<String, Object> params = new LinkedHashMap<>(members.params());
		params.put("campaign", campaign.id());
		params.put("salt", campaign.id().toString());
		params.put("supported", template.channels().stream().map(Enum::name).toArray(String[]::new));
		params.put("fallback",
				DEFAULT_ORDER.stream().filter(template.channels()::contains).findFirst().orElse(Channel.EMAIL).name());
		params.put("now", Timestamp.from(now()));
		params.put("unresponsive",
				"did not open, click or respond to any of their last " + lastCommunications + " communications");
		// the excluded sort last, so that the pilot and test group are counted from the
		// first of the others
		long total = this.jdbc.sql("""
				INSERT INTO campaign_recipient (campaign_id, step, seq, customer_id, external_id, time_zone, channel,
				                                wave, status, reason, updated_at)
				SELECT :campaign, 1,
				       row_number() OVER (ORDER BY m.unresponsive, md5(:salt || m.customer_id::text), m.customer_id),
				       m.customer_id, m.external_id, m.time_zone,
				       CASE WHEN m.preferred_channel = ANY(CAST(:supported AS text[])) THEN m.preferred_channel
				            ELSE :fallback END,
				       1, CASE WHEN m.unresponsive THEN 'SKIPPED' ELSE 'PENDING' END,
				       CASE WHEN m.unresponsive THEN :unresponsive END, :now
				  FROM (""" + members.sql() + ") m").params(params).update();
		long eligible = (lastCommunications == 0) ? total : this.jdbc
			.sql("SELECT count(*) FROM campaign_recipient WHERE campaign_id = ? AND step = 1 AND status = 'PENDING'")
			.param(campaign.id())
			.query(Long.class)
			.single();
		long first = firstWave(definition, eligible);
		if (first < eligible) {
			this.jdbc.sql("""
					UPDATE campaign_recipient SET wave = 2, status = 'HELD'
					 WHERE campaign_id = ? AND step = 1 AND seq > ? AND status = 'PENDING'""")
				.params(campaign.id(), first)
				.update();
		}
		CampaignRequest.AbTest test = definition.abTest();
		if (test != null) {
			// contiguous runs of the hash order: a random split in the variants' shares
			StringBuilder variant = new StringBuilder("CASE");
			long bound = 0;
			int cumulative = 0;
			for (int i = 0; i < test.variants().size(); i++) {
				cumulative += test.variants().get(i).share();
				bound = Math.round(first * cumulative / 100.0);
				variant.append(" WHEN seq <= ").append(bound).append(" THEN ").append(i);
			}
			variant.append(" END");
			this.jdbc
				.sql("UPDATE campaign_recipient SET variant = " + variant
						+ " WHERE campaign_id = ? AND step = 1 AND wave = 1")
				.param(campaign.id())
				.update();
		}
		return total;
	}

	private static long firstWave(CampaignRequest definition, long total) {
		if (definition.pilot() != null) {
			CampaignRequest.Pilot pilot = definition.pilot();
			return (pilot.customers() != null) ? Math.min(total, pilot.customers())
					: (long) Math.ceil(total * pilot.percent() / 100.0);
		}
		if (definition.abTest() != null) {
			return (long) Math.ceil(total * definition.abTest().testPercent() / 100.0);
		}
		return total;
	}

	/**
	 * Sends the held share: for an A/B test with the variant that won.
	 */
	void release(Campaign campaign, Instant now) {
		Integer winner = (campaign.definition().abTest() != null) ? winner(campaign) : null;
		this.jdbc.sql("""
				UPDATE campaign_recipient SET status = 'PENDING', variant = ?, updated_at = ?
				 WHERE campaign_id = ? AND status = 'HELD'""")
			.params(winner, Timestamp.from(now), campaign.id())
			.update();
		this.jdbc.sql("UPDATE campaign SET released_at = ?, winner = ?, updated_at = ? WHERE id = ?")
			.params(Timestamp.from(now), winner, Timestamp.from(now), campaign.id())
			.update();
	}

	/**
	 * The variant with the best rate of the winner rule's metric among its sent
	 * recipients; the first variant on a tie.
	 */
	int winner(Campaign campaign) {
		CampaignRequest.AbTest test = campaign.definition().abTest();
		int rank = test.winner().metric().rank();
		record Rate(int variant, double rate) {
		}
		List<Rate> rates = this.jdbc.sql("""
				SELECT variant, count(*) FILTER (WHERE engagement >= ?)::float8 / greatest(count(*), 1)
				  FROM campaign_recipient WHERE campaign_id = ? AND step = 1 AND wave = 1 AND status = 'SENT'
				 GROUP BY variant""")
			.params(rank, campaign.id())
			.query((rs, row) -> new Rate(rs.getInt(1), rs.getDouble(2)))
			.list();
		int best = 0;
		double bestRate = -1;
		for (int i = 0; i < test.variants().size(); i++) {
			int variant = i;
			double rate = rates.stream()
				.filter((r) -> r.variant() == variant)
				.mapToDouble(Rate::rate)
				.findFirst()
				.orElse(0);
			if (rate > bestRate) {
				best = i;
				bestRate = rate;
			}
		}
		return best;
	}

	void cancelOpen(UUID campaignId) {
		this.jdbc
			.sql("""
					UPDATE campaign_recipient SET status = 'CANCELLED', reason = 'the campaign was cancelled', updated_at = ?
					 WHERE campaign_id = ? AND status IN ('PENDING', 'HELD', 'QUEUED')""")
			.params(Timestamp.from(now()), campaignId)
			.update();
	}

	/**
	 * Takes a page of pending recipients of the step for fan-out. Rows another replica is
	 * taking are skipped, so two replicas share one campaign without a lock.
	 */
	List<Handover> pending(UUID campaignId, int step, int limit, @Nullable LocalTime windowStart,
			@Nullable LocalTime windowEnd) {
		String window = (windowStart != null && windowEnd != null) ? """
				AND (now() AT TIME ZONE time_zone)::time >= CAST(:windowStart AS time)
				AND (now() AT TIME ZONE time_zone)::time < CAST(:windowEnd AS time)""" : "";
		Map<String, Object> params = new LinkedHashMap<>();
		params.put("campaign", campaignId);
		params.put("step", step);
		params.put("limit", limit);
		if (!window.isEmpty()) {
			params.put("windowStart", windowStart.toString());
			params.put("windowEnd", windowEnd.toString());
		}
		return this.jdbc.sql("""
				SELECT step, seq, customer_id, channel FROM campaign_recipient
				 WHERE campaign_id = :campaign AND step = :step AND status = 'PENDING'""" + window + """

				ORDER BY seq LIMIT :limit FOR UPDATE SKIP LOCKED""")
			.params(params)
			.query((rs, row) -> new Handover(campaignId, rs.getInt(1), rs.getLong(2), rs.getObject(3, UUID.class),
					Channel.valueOf(rs.getString(4))))
			.list();
	}

	void queued(UUID campaignId, int step, Collection<Long> seqs) {
		this.jdbc.sql("""
				UPDATE campaign_recipient SET status = 'QUEUED', queued_at = ?, updated_at = ?
				 WHERE campaign_id = ? AND step = ? AND seq = ANY(?)""")
			.params(Timestamp.from(now()), Timestamp.from(now()), campaignId, step, seqs.toArray(Long[]::new))
			.update();
	}

	/**
	 * How many recipients of the campaign are handed to Kafka and not yet accepted by
	 * delivery.
	 */
	int inFlight(UUID campaignId) {
		return this.jdbc.sql("SELECT count(*) FROM campaign_recipient WHERE campaign_id = ? AND status = 'QUEUED'")
			.param(campaignId)
			.query(Integer.class)
			.single();
	}

	/**
	 * Recipients handed to Kafka long ago but never accepted (the broker lost them, or
	 * the consumer gave up) go back to pending; their idempotency key keeps a second
	 * hand-over from sending twice.
	 */
	int requeueStale(Instant before) {
		return this.jdbc.sql(REQUEUE_STALE).params(Timestamp.from(now()), Timestamp.from(before)).update();
	}

	/**
	 * Records what delivery reported for a recipient's communication, in delivery's own
	 * transaction: a send or engagement moves the recipient to {@code SENT} at once;
	 * anything else flags it for {@link #changed(int)} to look at once committed.
	 */
	void reported(UUID communicationId, int engagement, Channel channel) {
		this.jdbc
			.sql("""
					UPDATE campaign_recipient SET
					       engagement = greatest(engagement, :engagement),
					       sent_channel = CASE WHEN :engagement > 0 THEN coalesce(sent_channel, :channel) ELSE sent_channel END,
					       reason = CASE WHEN :engagement > 0 AND status IN ('ACCEPTED', 'DEFERRED') THEN NULL ELSE reason END,
					       status = CASE WHEN :engagement > 0 AND status IN ('ACCEPTED', 'DEFERRED') THEN 'SENT' ELSE status END,
					       outcome_changed = outcome_changed OR (:engagement = 0 AND status IN ('ACCEPTED', 'DEFERRED')),
					       sent_at = CASE WHEN :engagement >= 1 THEN coalesce(sent_at, :now) ELSE sent_at END,
					       delivered_at = CASE WHEN :engagement >= 2 THEN coalesce(delivered_at, :now) ELSE delivered_at END,
					       opened_at = CASE WHEN :engagement >= 3 THEN coalesce(opened_at, :now) ELSE opened_at END,
					       clicked_at = CASE WHEN :engagement >= 4 THEN coalesce(clicked_at, :now) ELSE clicked_at END,
					       responded_at = CASE WHEN :engagement >= 5 THEN coalesce(responded_at, :now) ELSE responded_at END,
					       updated_at = :now
					 WHERE communication_id = :communication""")
			.param("engagement", engagement)
			.param("channel", channel.name())
			.param("now", Timestamp.from(now()))
			.param("communication", communicationId)
			.update();
	}

	/**
	 * Adds machine opens and clicks to the recipient the communication was sent to (none
	 * for a communication that is not a campaign's).
	 */
	void machineTraffic(UUID communicationId, int opens, int clicks) {
		this.jdbc.sql("""
				UPDATE campaign_recipient SET machine_opens = machine_opens + :opens,
				       machine_clicks = machine_clicks + :clicks
				 WHERE communication_id = :communication""")
			.param("opens", opens)
			.param("clicks", clicks)
			.param("communication", communicationId)
			.update();
	}

	/**
	 * Takes a page of recipients whose delivery changed in a way that may settle them.
	 */
	Map<UUID, RecipientKey> changed(int limit) {
		Map<UUID, RecipientKey> changed = new LinkedHashMap<>();
		this.jdbc.sql("""
				SELECT communication_id, campaign_id, step, seq FROM campaign_recipient
				 WHERE outcome_changed LIMIT ? FOR UPDATE SKIP LOCKED""").param(limit).query((rs) -> {
			changed.put(rs.getObject(1, UUID.class),
					new RecipientKey(rs.getObject(2, UUID.class), rs.getInt(3), rs.getLong(4)));
		});
		return changed;
	}

	void settle(RecipientKey key, @Nullable RecipientStatus status, @Nullable String reason,
			@Nullable Channel channel) {
		if (status == null) {
			this.jdbc.sql("""
					UPDATE campaign_recipient SET outcome_changed = FALSE
					 WHERE campaign_id = ? AND step = ? AND seq = ?""")
				.params(key.campaignId(), key.step(), key.seq())
				.update();
			return;
		}
		this.jdbc.sql("""
				UPDATE campaign_recipient SET outcome_changed = FALSE, status = ?, reason = ?,
				       sent_channel = coalesce(sent_channel, ?), updated_at = ?
				 WHERE campaign_id = ? AND step = ? AND seq = ? AND status IN ('ACCEPTED', 'DEFERRED')""")
			.params(status.name(), reason, (channel != null) ? channel.name() : null, Timestamp.from(now()),
					key.campaignId(), key.step(), key.seq())
			.update();
	}

	boolean anyOpen(UUID campaignId) {
		return this.jdbc.sql(ANY_OPEN).param(campaignId).query(Long.class).optional().isPresent();
	}

	/**
	 * Freezes the next step's recipients from the step before: those who were sent it and
	 * did not get as far as {@code unless}.
	 * @return how many
	 */
	long nextStep(UUID campaignId, int step, CampaignRequest.Step next) {
		return this.jdbc.sql("""
				INSERT INTO campaign_recipient (campaign_id, step, seq, customer_id, external_id, time_zone, channel,
				                                wave, variant, status, updated_at)
				SELECT campaign_id, :next, seq, customer_id, external_id, time_zone, coalesce(:channel, channel),
				       1, variant, 'PENDING', :now
				  FROM campaign_recipient
				 WHERE campaign_id = :campaign AND step = :step AND status = 'SENT' AND engagement < :rank""")
			.param("next", step + 1)
			.param("channel", (next.channel() != null) ? next.channel().name() : null)
			.param("now", Timestamp.from(now()))
			.param("campaign", campaignId)
			.param("step", step)
			.param("rank", (next.unless() != null) ? next.unless().rank() : Integer.MAX_VALUE)
			.update();
	}

	/**
	 * Recipients per campaign, status and channel (where sent, else where expected), from
	 * the tally the recipient table's triggers keep: the folded counts plus the changes
	 * not folded yet, in one statement, so as exact as counting the recipients (see
	 * {@code V7_40__recipient_tally.sql}) without reading them.
	 */
	List<StatusCount> counts(Collection<UUID> campaignIds) {
		if (campaignIds.isEmpty()) {
			return new ArrayList<>();
		}
		UUID[] ids = campaignIds.toArray(UUID[]::new);
		return this.jdbc.sql(TALLY)
			.params(ids, ids)
			.query((rs, row) -> new StatusCount(rs.getObject(1, UUID.class), RecipientStatus.valueOf(rs.getString(2)),
					rs.getString(3), rs.getLong(4)))
			.list();
	}

	/**
	 * Adds the recipient changes recorded since the last fold to the status and funnel
	 * tallies: the change rows committed before each statement began are taken, later
	 * ones wait for the next fold.
	 */
	void foldTally() {
		this.jdbc.sql("""
				WITH folded AS (DELETE FROM campaign_tally_change RETURNING campaign_id, status, channel, recipients)
				INSERT INTO campaign_tally (campaign_id, status, channel, recipients)
				SELECT campaign_id, status, channel, sum(recipients) FROM folded GROUP BY 1, 2, 3
				    ON CONFLICT (campaign_id, status, channel)
				    DO UPDATE SET recipients = campaign_tally.recipients + excluded.recipients""").update();
		this.jdbc.sql("""
				WITH folded AS (DELETE FROM campaign_funnel_change
				                RETURNING campaign_id, step, variant, channel, engagement, recipients, machine_opens,
				                          machine_clicks)
				INSERT INTO campaign_funnel (campaign_id, step, variant, channel, engagement, recipients, machine_opens,
				                             machine_clicks)
				SELECT campaign_id, step, variant, channel, engagement, sum(recipients), sum(machine_opens),
				       sum(machine_clicks)
				  FROM folded GROUP BY 1, 2, 3, 4, 5
				    ON CONFLICT ON CONSTRAINT campaign_funnel_group
				    DO UPDATE SET recipients = campaign_funnel.recipients + excluded.recipients,
				                  machine_opens = campaign_funnel.machine_opens + excluded.machine_opens,
				                  machine_clicks = campaign_funnel.machine_clicks + excluded.machine_clicks""")
			.update();
	}

	static Instant now() {
		return Instant.now().truncatedTo(ChronoUnit.MICROS);
	}

	/** A recipient taken for hand-over. */
	record Handover(UUID campaignId, int step, long seq, UUID customerId, Channel channel) {

	}

	record RecipientKey(UUID campaignId, int step, long seq) {

	}

	record StatusCount(UUID campaignId, RecipientStatus status, String channel, long count) {

	}

}
