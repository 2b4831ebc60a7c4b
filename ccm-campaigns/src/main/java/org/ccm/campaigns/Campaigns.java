package org.ccm.campaigns;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.ccm.core.Channel;
import org.ccm.core.Purpose;
import org.ccm.core.Segments;
import org.ccm.templates.TemplateSummary;
import org.ccm.templates.Templates;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Campaigns as the rest of the platform sees them: create, launch, pause, resume, cancel,
 * release the held share, and follow progress and results.
 *
 * <h2>Engine</h2> At launch the segment's members are frozen into the recipient table in
 * one {@code INSERT … SELECT}, in a random but reproducible order (a hash of campaign and
 * customer). Fan-out reads pending recipients in pages, takes tokens from the campaign's
 * and the channels' buckets (shared by every replica through PostgreSQL) and hands the
 * recipients to Kafka keyed by customer. A consumer accepts each through delivery's
 * idempotent send with the key {@code campaign:step:seq}, so a redelivered record, a
 * resume or a restart never sends twice. Delivery's status changes give each recipient
 * its final status; the campaign is {@code FINISHED} only when none is left open.
 */
@Service
public class Campaigns {

	/** The rate in a progress report: by its index, the window's recipients only. */
	static final String RECENTLY_ACCEPTED = "SELECT count(*) FROM campaign_recipient WHERE campaign_id = ? AND accepted_at > ?";

	private static final TypeReference<List<Integer>> VERSIONS = new TypeReference<>() {
	};

	private final JdbcClient jdbc;

	private final JsonMapper json;

	private final Segments segments;

	private final Templates templates;

	private final Recipients recipients;

	private final CampaignValidation validation;

	private final CampaignsProperties properties;

	private final Clock clock = Clock.systemUTC();

	Campaigns(JdbcClient jdbc, JsonMapper json, Segments segments, Templates templates, Recipients recipients,
			CampaignValidation validation, CampaignsProperties properties) {
		this.jdbc = jdbc;
		this.json = json;
		this.segments = segments;
		this.templates = templates;
		this.recipients = recipients;
		this.validation = validation;
		this.properties = properties;
	}

	/**
	 * Stores a draft campaign after checking everything that can be checked before
	 * launch.
	 * @throws InvalidCampaignException naming each field that is wrong
	 */
	@Transactional
	public Campaign create(CampaignRequest request, String createdBy) {
		this.validation.check(request, now());
		UUID id = UUID.randomUUID();
		Instant now = now();
		this.jdbc.sql("""
				INSERT INTO campaign (id, name, segment_key, template_key, purpose, definition, state, created_by,
				                      created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, CAST(? AS jsonb), 'DRAFT', ?, ?, ?)""")
			.params(id, request.name().strip(), request.segment(), request.template(), request.purpose().name(),
					this.json.writeValueAsString(request), createdBy, Timestamp.from(now), Timestamp.from(now))
			.update();
		return find(id).orElseThrow();
	}

	/**
	 * Runs every check {@link #create} runs, and stores nothing: a form can show all its
	 * problems at once.
	 * @throws InvalidCampaignException naming each field that is wrong
	 */
	@Transactional(readOnly = true)
	public void check(CampaignRequest request) {
		this.validation.check(request, now());
	}

	@Transactional(readOnly = true)
	public Optional<Campaign> find(UUID id) {
		return this.jdbc.sql("SELECT * FROM campaign WHERE id = ?").param(id).query(this::campaign).optional();
	}

	@Transactional(readOnly = true)
	public CampaignPage list(int page, int size) {
		int limit = Math.max(1, Math.min(size, 200));
		int number = Math.max(0, page);
		List<Campaign> items = this.jdbc.sql("SELECT * FROM campaign ORDER BY created_at DESC, id LIMIT ? OFFSET ?")
			.params(limit, (long) number * limit)
			.query(this::campaign)
			.list();
		long total = this.jdbc.sql("SELECT count(*) FROM campaign").query(Long.class).single();
		return new CampaignPage(items, number, limit, total);
	}

	/**
	 * One page of campaigns, newest first, in a state and created in a time range when
	 * given.
	 * @param createdFrom created at or after, or null
	 * @param createdBefore created before, or null
	 */
	@Transactional(readOnly = true)
	public CampaignPage list(@Nullable CampaignState state, @Nullable Instant createdFrom,
			@Nullable Instant createdBefore, int page, int size) {
		int limit = Math.max(1, Math.min(size, 200));
		int number = Math.max(0, page);
		String where = " WHERE (CAST(:state AS text) IS NULL OR state = :state)"
				+ " AND (CAST(:from AS timestamptz) IS NULL OR created_at >= :from)"
				+ " AND (CAST(:before AS timestamptz) IS NULL OR created_at < :before)";
		Map<String, Object> params = new LinkedHashMap<>();
		params.put("state", (state != null) ? state.name() : null);
		params.put("from", (createdFrom != null) ? Timestamp.from(createdFrom) : null);
		params.put("before", (createdBefore != null) ? Timestamp.from(createdBefore) : null);
		long total = this.jdbc.sql("SELECT count(*) FROM campaign" + where).params(params).query(Long.class).single();
		params.put("limit", limit);
		params.put("offset", (long) number * limit);
		List<Campaign> items = this.jdbc
			.sql("SELECT * FROM campaign" + where + " ORDER BY created_at DESC, id LIMIT :limit OFFSET :offset")
			.params(params)
			.query(this::campaign)
			.list();
		return new CampaignPage(items, number, limit, total);
	}

	/**
	 * How many customers each channel of the template would reach in the segment, from
	 * their preferences, consents and contact points today: an estimate for the review
	 * before launch (delivery decides again per message).
	 * @throws InvalidCampaignException when the segment or the published template is
	 * unknown
	 */
	@Transactional(readOnly = true)
	public Map<Channel, Long> estimate(String segment, String template, Purpose purpose) {
		Map<String, String> problems = new LinkedHashMap<>();
		if (this.segments.find(segment).isEmpty()) {
			problems.put("segment", "no segment '" + segment + "'");
		}
		Optional<TemplateSummary> published = this.templates.findPublished(template);
		if (published.isEmpty()) {
			problems.put("template", "template '" + template + "' has no published version");
		}
		if (!problems.isEmpty()) {
			throw new InvalidCampaignException(problems);
		}
		return this.segments.reach(segment, purpose, published.get().channels());
	}

	/**
	 * Recipients who ended without the communication, counted by status and reason.
	 */
	@Transactional(readOnly = true)
	public List<CampaignProgress.Unsent> unsent(UUID id) {
		return this.jdbc.sql("""
				SELECT status, coalesce(reason, ''), count(*) FROM campaign_recipient
				 WHERE campaign_id = ? AND status IN ('SKIPPED', 'FAILED', 'CANCELLED')
				 GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2""")
			.param(id)
			.query((rs, row) -> new CampaignProgress.Unsent(RecipientStatus.valueOf(rs.getString(1)), rs.getString(2),
					rs.getLong(3)))
			.list();
	}

	/**
	 * Hands every recipient who ended without the communication to {@code consumer}, in
	 * step and send order, through a cursor: memory stays flat however many there are.
	 */
	@Transactional(readOnly = true)
	public void forEachUnsent(UUID id, Consumer<CampaignProgress.UnsentRecipient> consumer) {
		try (Stream<CampaignProgress.UnsentRecipient> rows = this.jdbc.sql("""
				SELECT step, external_id, coalesce(sent_channel, channel), status, coalesce(reason, '')
				  FROM campaign_recipient
				 WHERE campaign_id = ? AND status IN ('SKIPPED', 'FAILED', 'CANCELLED') ORDER BY step, seq""")
			.param(id)
			.withFetchSize(1_000)
			.query((rs, row) -> new CampaignProgress.UnsentRecipient(rs.getInt(1), rs.getString(2), rs.getString(3),
					RecipientStatus.valueOf(rs.getString(4)), rs.getString(5)))
			.stream()) {
			rows.forEach(consumer);
		}
	}

	/**
	 * How many recipients first reached each stage of the funnel in each period, per
	 * step, variant and channel.
	 * @param unit {@code MINUTES}, {@code HOURS} or {@code DAYS}
	 */
	@Transactional(readOnly = true)
	public List<CampaignResults.Moment> timeline(UUID id, ChronoUnit unit) {
		List<String> names = variantNames(find(id).orElseThrow(() -> new UnknownCampaignException(id)));
		String trunc = (unit == ChronoUnit.MINUTES) ? "minute" : (unit == ChronoUnit.DAYS) ? "day" : "hour";
		record Key(Instant at, int step, int variant, String channel) {
		}
		Map<Key, long[]> moments = new TreeMap<>(java.util.Comparator.comparing(Key::at)
			.thenComparingInt(Key::step)
			.thenComparingInt(Key::variant)
			.thenComparing(Key::channel));
		int stages = 5;
		// one pass over the campaign's recipients, each row counted once per stage it
		// reached
		this.jdbc
			.sql("SELECT date_trunc('" + trunc + "', t.at), r.step, coalesce(r.variant, -1),"
					+ " coalesce(r.sent_channel, r.channel), t.stage, count(*) FROM campaign_recipient r"
					+ " CROSS JOIN LATERAL (VALUES (0, r.sent_at), (1, r.delivered_at), (2, r.opened_at),"
					+ " (3, r.clicked_at), (4, r.responded_at)) t(stage, at)"
					+ " WHERE r.campaign_id = ? AND t.at IS NOT NULL GROUP BY 1, 2, 3, 4, 5")
			.param(id)
			.query((rs) -> {
				Key key = new Key(rs.getTimestamp(1).toInstant(), rs.getInt(2), rs.getInt(3), rs.getString(4));
				moments.computeIfAbsent(key, (k) -> new long[stages])[rs.getInt(5)] = rs.getLong(6);
			});
		return moments.entrySet().stream().map((entry) -> {
			Key key = entry.getKey();
			long[] v = entry.getValue();
			return new CampaignResults.Moment(key.at(), key.step(), variantName(names, key.variant()), key.channel(),
					v[0], v[1], v[2], v[3], v[4]);
		}).toList();
	}

	private static List<String> variantNames(Campaign campaign) {
		return (campaign.definition().abTest() != null)
				? campaign.definition().abTest().variants().stream().map(CampaignRequest.Variant::name).toList()
				: List.of();
	}

	private static @Nullable String variantName(List<String> names, @Nullable Integer variant) {
		return (variant != null && variant >= 0 && variant < names.size()) ? names.get(variant) : null;
	}

	/**
	 * Pins the published template versions and freezes the recipients, in one
	 * transaction: a launch that fails leaves the campaign a draft.
	 * @throws CampaignStateException when the campaign was launched before
	 * @throws InvalidCampaignException when a template is no longer published or the
	 * start time has passed
	 */
	@Transactional
	public Campaign launch(UUID id) {
		Campaign campaign = lock(id);
		if (campaign.state() != CampaignState.DRAFT) {
			throw new CampaignStateException("launch", campaign.state());
		}
		CampaignRequest definition = campaign.definition();
		Instant now = now();
		Map<String, String> problems = new LinkedHashMap<>();
		if (definition.schedule().at() != null && definition.schedule().at().isBefore(now)) {
			problems.put("schedule.at", "is in the past");
		}
		if (this.segments.find(definition.segment()).isEmpty()) {
			problems.put("segment", "no segment '" + definition.segment() + "'");
		}
		List<Integer> versions = new ArrayList<>();
		versions.add(pin(definition.template(), "template", problems));
		for (int i = 0; i < definition.stepsOrEmpty().size(); i++) {
			CampaignRequest.Step step = definition.stepsOrEmpty().get(i);
			versions.add((step.template() != null) ? pin(step.template(), "steps[" + i + "].template", problems)
					: versions.get(0));
		}
		if (!problems.isEmpty()) {
			throw new InvalidCampaignException(problems);
		}
		Instant startsAt = (definition.schedule().at() != null) ? definition.schedule().at() : now;
		long total = this.recipients.freeze(campaign,
				this.templates.findPublished(definition.template()).orElseThrow());
		CampaignState state = startsAt.isAfter(now) ? CampaignState.SCHEDULED : CampaignState.RUNNING;
		this.jdbc.sql("""
				UPDATE campaign SET state = ?, template_versions = CAST(? AS jsonb), total = ?, launched_at = ?,
				       starts_at = ?, step_started_at = ?, updated_at = ? WHERE id = ?""")
			.params(state.name(), this.json.writeValueAsString(versions), total, Timestamp.from(now),
					Timestamp.from(startsAt), Timestamp.from(startsAt), Timestamp.from(now), id)
			.update();
		return find(id).orElseThrow();
	}

	private int pin(String template, String field, Map<String, String> problems) {
		Optional<TemplateSummary> published = this.templates.findPublished(template);
		if (published.isEmpty()) {
			problems.put(field, "template '" + template + "' has no published version");
			return 0;
		}
		return published.get().publishedVersion();
	}

	/**
	 * Stops handing recipients over; those already handed over drain.
	 */
	@Transactional
	public Campaign pause(UUID id) {
		Campaign campaign = lock(id);
		if (campaign.state() != CampaignState.RUNNING && campaign.state() != CampaignState.SCHEDULED) {
			throw new CampaignStateException("pause", campaign.state());
		}
		return state(id, CampaignState.PAUSED);
	}

	/**
	 * Continues from the snapshot where the campaign stopped.
	 */
	@Transactional
	public Campaign resume(UUID id) {
		Campaign campaign = lock(id);
		if (campaign.state() != CampaignState.PAUSED) {
			throw new CampaignStateException("resume", campaign.state());
		}
		boolean later = campaign.startsAt() != null && campaign.startsAt().isAfter(now());
		return state(id, later ? CampaignState.SCHEDULED : CampaignState.RUNNING);
	}

	/**
	 * Stops the campaign: recipients not handed over yet, and those still on their way to
	 * delivery, become {@code CANCELLED}. What delivery accepted already goes out.
	 */
	@Transactional
	public Campaign cancel(UUID id) {
		Campaign campaign = lock(id);
		if (campaign.state().isOver()) {
			throw new CampaignStateException("cancel", campaign.state());
		}
		this.recipients.cancelOpen(id);
		this.jdbc.sql("UPDATE campaign SET finished_at = ? WHERE id = ?").params(Timestamp.from(now()), id).update();
		return state(id, CampaignState.CANCELLED);
	}

	/**
	 * Sends the held share now: the rest after a pilot, or the A/B winner so far to the
	 * rest.
	 * @throws CampaignStateException when the campaign is not running or holds nothing
	 * back
	 */
	@Transactional
	public Campaign release(UUID id) {
		Campaign campaign = lock(id);
		boolean holds = campaign.definition().pilot() != null || campaign.definition().abTest() != null;
		if (campaign.state() != CampaignState.RUNNING || !holds || campaign.releasedAt() != null) {
			throw new CampaignStateException("release the held share of", campaign.state());
		}
		this.recipients.release(campaign, now());
		return find(id).orElseThrow();
	}

	@Transactional(readOnly = true)
	public CampaignProgress progress(UUID id) {
		Campaign campaign = find(id).orElseThrow(() -> new UnknownCampaignException(id));
		Map<RecipientStatus, Long> byStatus = new EnumMap<>(RecipientStatus.class);
		Map<String, Map<RecipientStatus, Long>> byChannel = new TreeMap<>();
		for (Recipients.StatusCount count : this.recipients.counts(List.of(id))) {
			byStatus.merge(count.status(), count.count(), Long::sum);
			byChannel.computeIfAbsent(count.channel(), (key) -> new EnumMap<>(RecipientStatus.class))
				.merge(count.status(), count.count(), Long::sum);
		}
		long total = byStatus.values().stream().mapToLong(Long::longValue).sum();
		long settled = byStatus.entrySet()
			.stream()
			.filter((entry) -> entry.getKey().isFinal())
			.mapToLong(Map.Entry::getValue)
			.sum();
		long window = Math.max(1, this.properties.rateWindow().toSeconds());
		long recent = this.jdbc.sql(RECENTLY_ACCEPTED)
			.params(id, Timestamp.from(now().minusSeconds(window)))
			.query(Long.class)
			.single();
		double rate = (double) recent / window;
		long waiting = byStatus.getOrDefault(RecipientStatus.PENDING, 0L)
				+ byStatus.getOrDefault(RecipientStatus.QUEUED, 0L) + byStatus.getOrDefault(RecipientStatus.HELD, 0L);
		Long eta = (rate > 0) ? (long) Math.ceil(waiting / rate) : null;
		return new CampaignProgress(id, campaign.state(), campaign.currentStep(), total,
				byStatus.getOrDefault(RecipientStatus.SENT, 0L), settled, rate, eta, byStatus, byChannel);
	}

	@Transactional(readOnly = true)
	public CampaignResults results(UUID id) {
		Campaign campaign = find(id).orElseThrow(() -> new UnknownCampaignException(id));
		List<String> names = variantNames(campaign);
		List<CampaignResults.Funnel> funnels = this.jdbc.sql(Recipients.FUNNEL)
			.params(id, id)
			.query((rs, row) -> new CampaignResults.Funnel(rs.getInt(1),
					variantName(names, rs.getObject(2, Integer.class)), rs.getString(3), rs.getLong(4), rs.getLong(5),
					rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getLong(10)))
			.list();
		return new CampaignResults(id, funnels);
	}

	private Campaign lock(UUID id) {
		return this.jdbc.sql("SELECT * FROM campaign WHERE id = ? FOR UPDATE")
			.param(id)
			.query(this::campaign)
			.optional()
			.orElseThrow(() -> new UnknownCampaignException(id));
	}

	private Campaign state(UUID id, CampaignState state) {
		this.jdbc.sql("UPDATE campaign SET state = ?, updated_at = ? WHERE id = ?")
			.params(state.name(), Timestamp.from(now()), id)
			.update();
		return find(id).orElseThrow();
	}

	private Instant now() {
		return this.clock.instant().truncatedTo(ChronoUnit.MICROS);
	}

	Campaign campaign(ResultSet rs, int row) throws SQLException {
		CampaignRequest definition = this.json.readValue(rs.getString("definition"), CampaignRequest.class);
		String versions = rs.getString("template_versions");
		Integer winner = rs.getObject("winner", Integer.class);
		String winnerName = (winner != null && definition.abTest() != null)
				? definition.abTest().variants().get(winner).name() : null;
		return new Campaign(rs.getObject("id", UUID.class), rs.getString("name"),
				CampaignState.valueOf(rs.getString("state")), definition,
				(versions != null) ? this.json.readValue(versions, VERSIONS) : null, rs.getInt("current_step"),
				winnerName, rs.getObject("total", Long.class), rs.getString("created_by"), instant(rs, "created_at"),
				instant(rs, "launched_at"), instant(rs, "starts_at"), instant(rs, "step_started_at"),
				instant(rs, "released_at"), instant(rs, "finished_at"));
	}

	static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
		Timestamp timestamp = rs.getTimestamp(column);
		return (timestamp != null) ? timestamp.toInstant() : null;
	}

}
