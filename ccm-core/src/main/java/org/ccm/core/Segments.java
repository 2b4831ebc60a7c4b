package org.ccm.core;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.ccm.core.problems.FieldProblem;
import org.ccm.core.problems.ProblemException;
import org.ccm.core.problems.ProblemType;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import tools.jackson.databind.json.JsonMapper;

/**
 * Rule-based customer segments, evaluated in the database: a rule becomes one SQL
 * condition, so counting a million customers never loads them. Erased customers are never
 * members. The saved segments themselves are edited by staff and versioned, so that two
 * people editing one segment cannot overwrite each other.
 */
@Service
public class Segments {

	private static final String MEMBERS = """
			SELECT c.id, c.external_id, c.name, c.status, c.email, c.phone, c.country, c.updated_at
			FROM customer c WHERE c.status <> 'ERASED' AND
			""";

	private final JdbcClient jdbc;

	private final JsonMapper json;

	private final CustomerAttributes attributes;

	private final CoreProperties properties;

	private final SegmentRepository definitions;

	private final Clock clock;

	Segments(JdbcClient jdbc, JsonMapper json, CustomerAttributes attributes, CoreProperties properties,
			SegmentRepository definitions, Clock clock) {
		this.definitions = definitions;
		this.clock = clock;
		this.jdbc = jdbc;
		this.json = json;
		this.attributes = attributes;
		this.properties = properties;
	}

	/**
	 * Whether the customer currently belongs to the segment; used for targeting offers.
	 * @throws UnknownSegmentException when there is no segment with that key
	 */
	@Transactional(readOnly = true)
	public boolean isMember(String segmentKey, UUID customerId) {
		SegmentCondition condition = condition(segmentKey);
		Map<String, Object> params = new LinkedHashMap<>(condition.params());
		params.put("customer", customerId);
		return timed(properties.segments().statementTimeouts().membership(), "membership of segment " + segmentKey,
				() -> jdbc
					.sql("SELECT EXISTS (SELECT 1 FROM customer c WHERE c.id = :customer AND c.status <> 'ERASED' AND "
							+ condition.sql() + ")")
					.params(params)
					.query(Boolean.class)
					.single());
	}

	/**
	 * Creates or replaces a segment.
	 * @return true when it was created
	 * @throws InvalidSegmentException when the key is malformed or the rule cannot be
	 * evaluated
	 */
	@Transactional
	public boolean save(String key, String name, SegmentRule rule) {
		return save(key, name, rule, null);
	}

	/**
	 * Creates or replaces a segment, refusing the change when the segment is no longer at
	 * the version the editor read.
	 * @param version the version the change is based on; null to create a segment or to
	 * replace whatever is saved
	 * @return true when it was created
	 * @throws InvalidSegmentException when the key is malformed or the rule cannot be
	 * evaluated
	 * @throws ConcurrentEditException when someone else changed or deleted the segment
	 * since that version
	 */
	@Transactional
	public boolean save(String key, String name, SegmentRule rule, @Nullable Long version) {
		Map<String, String> problems = problems(key, name, rule);
		if (!problems.isEmpty()) {
			throw new InvalidSegmentException(problems);
		}
		Instant now = Instant.now(this.clock);
		Optional<SegmentEntity> existing = definitions.findById(key);
		String what = "segment '" + key + "'";
		ConcurrentEditException.check(what, "version", version, existing.map(SegmentEntity::version).orElse(null));
		SegmentEntity segment = existing.orElseGet(() -> new SegmentEntity(key, now));
		boolean created = segment.isNew();
		segment.change(name.strip(), json.writeValueAsString(rule), now);
		try {
			definitions.saveAndFlush(segment);
		}
		catch (OptimisticLockingFailureException | DataIntegrityViolationException ex) {
			// another editor saved between our read and our write
			throw ConcurrentEditException.simultaneous(what, "version");
		}
		return created;
	}

	/**
	 * What would keep a save of the segment from happening, by path ({@code key},
	 * {@code name}, {@code rule.rules[1].value}); empty when it can be saved. An editor
	 * that found problems of its own reports these with them.
	 */
	public Map<String, String> problems(String key, @Nullable String name, SegmentRule rule) {
		Map<String, String> problems = new LinkedHashMap<>();
		if (key == null || !key.matches("[a-z0-9][a-z0-9_-]{0,62}")) {
			problems.put("key", "must be 1 to 63 lower-case letters, digits, '-' or '_'");
		}
		if (name == null || name.isBlank() || name.length() > 200) {
			problems.put("name", "must be 1 to 200 characters");
		}
		try {
			compile(rule);
		}
		catch (InvalidSegmentException ex) {
			problems.putAll(ex.problems());
		}
		return problems;
	}

	@Transactional(readOnly = true)
	public Optional<Segment> find(String key) {
		return definitions.findById(key).map(this::segment);
	}

	@Transactional(readOnly = true)
	public List<Segment> all() {
		return definitions.findAllByOrderByKey().stream().map(this::segment).toList();
	}

	@Transactional
	public boolean delete(String key) {
		if (!definitions.existsById(key)) {
			return false;
		}
		definitions.deleteById(key);
		return true;
	}

	/**
	 * The declared attributes a rule may name, by name, with their types ({@code STRING},
	 * {@code NUMBER}, {@code BOOLEAN}, {@code DATE}), so that an editor can offer them
	 * and read typed values.
	 */
	@Transactional(readOnly = true)
	public Map<String, String> attributeTypes() {
		Map<String, String> types = new TreeMap<>();
		attributes.all().forEach((definition) -> types.put(definition.name(), definition.type().name()));
		return types;
	}

	private Segment segment(SegmentEntity entity) {
		return new Segment(entity.key(), entity.name(), json.readValue(entity.rule(), SegmentRule.class),
				entity.createdAt(), entity.updatedAt(), entity.version());
	}

	/**
	 * How many customers the rule selects now (for a saved segment or one being edited).
	 */
	@Transactional(readOnly = true)
	public long count(SegmentRule rule) {
		SegmentCondition condition = compile(rule);
		tune();
		return timed(properties.segments().statementTimeouts().count(), "count",
				() -> jdbc.sql("SELECT count(*) FROM customer c WHERE c.status <> 'ERASED' AND " + condition.sql())
					.params(condition.params())
					.query(Long.class)
					.single());
	}

	/**
	 * The first members in external-id order.
	 */
	@Transactional(readOnly = true)
	public List<CustomerSummary> preview(SegmentRule rule, int limit) {
		SegmentCondition condition = compile(rule);
		tune();
		return timed(properties.segments().statementTimeouts().preview(), "preview",
				() -> page(condition, Math.max(1, Math.min(limit, 1_000))));
	}

	/**
	 * Hands every member to {@code consumer}, in external-id order. The rule is evaluated
	 * once and the members are read through a cursor, so memory does not grow with the
	 * segment.
	 */
	@Transactional(readOnly = true)
	public void forEachMember(SegmentRule rule, Consumer<CustomerSummary> consumer) {
		SegmentCondition condition = compile(rule);
		tune();
		timed(properties.segments().statementTimeouts().members(), "members", () -> {
			try (Stream<CustomerSummary> members = jdbc.sql(MEMBERS + condition.sql() + " ORDER BY c.external_id")
				.params(condition.params())
				.withFetchSize(1_000)
				.query(Segments::summary)
				.stream()) {
				members.forEach(consumer);
			}
			return null;
		});
	}

	/**
	 * The members of a saved segment as a query to embed in a set-based statement (see
	 * {@link SegmentMembers}). Bind names start with {@code s}, so they do not clash with
	 * the caller's.
	 * @throws UnknownSegmentException when there is no segment with that key
	 */
	@Transactional(readOnly = true)
	public SegmentMembers members(String segmentKey, Purpose purpose) {
		return members(segmentKey, purpose, 0);
	}

	/**
	 * The members of a saved segment as a query, with {@code unresponsive} true for those
	 * who opened, clicked or responded to none of their last {@code lastCommunications}
	 * communications (a customer sent fewer is never unresponsive; 0 asks for none). Only
	 * people's engagement counts: machine opens and scanner clicks never reach the
	 * timeline as engagement.
	 * @throws UnknownSegmentException when there is no segment with that key
	 */
	@Transactional(readOnly = true)
	public SegmentMembers members(String segmentKey, Purpose purpose, int lastCommunications) {
		SegmentCondition condition = condition(segmentKey);
		Map<String, Object> params = new LinkedHashMap<>(condition.params());
		params.put("smemberspurpose", purpose.name());
		params.put("smemberslast", lastCommunications);
		// the customer's last communications from their timeline, newest first; a
		// communication that fell back to a second channel counts once
		return new SegmentMembers("""
				SELECT c.id AS customer_id, c.external_id, c.time_zone,
				       c.preferences -> :smemberspurpose ->> 0 AS preferred_channel,
				       :smemberslast > 0 AND (
				         SELECT count(*) = :smemberslast AND NOT bool_or(EXISTS (
				                  SELECT 1 FROM interaction e
				                   WHERE e.customer_id = c.id AND e.communication_id = recent.communication_id
				                     AND e.type IN ('OPENED', 'CLICKED', 'RESPONDED')))
				           FROM (SELECT i.communication_id FROM interaction i
				                  WHERE i.customer_id = c.id AND i.type = 'SENT' AND i.communication_id IS NOT NULL
				                  GROUP BY i.communication_id ORDER BY max(i.occurred_at) DESC
				                  LIMIT :smemberslast) recent) AS unresponsive
				  FROM customer c WHERE c.status <> 'ERASED' AND\s""" + condition.sql(), params);
	}

	/**
	 * How many active members of a saved segment each channel would reach for the
	 * purpose: every member is counted once, on the first channel of their preference
	 * (the default order without one; for transactional documents, then the rest of the
	 * default order) that is in {@code supported}, has their consent and a usable contact
	 * point. Members no channel reaches are not counted. An estimate for planning a send:
	 * delivery decides again, per message, when it routes.
	 * @throws UnknownSegmentException when there is no segment with that key
	 */
	@Transactional(readOnly = true)
	public Map<Channel, Long> reach(String segmentKey, Purpose purpose, Set<Channel> supported) {
		SegmentCondition condition = condition(segmentKey);
		Map<String, Object> params = new LinkedHashMap<>(condition.params());
		params.put("rpurpose", purpose.name());
		params.put("rtransactional", purpose == Purpose.TRANSACTIONAL);
		params.put("rdefault", new String[] { "EMAIL", "SMS", "PORTAL", "PRINT" });
		params.put("rsupported", supported.stream().map(Enum::name).toArray(String[]::new));
		tune();
		Map<Channel, Long> reach = new EnumMap<>(Channel.class);
		jdbc.sql(
				"""
						SELECT m.channel, count(*) FROM (
						  SELECT (SELECT candidate.channel FROM (
						            SELECT o.channel, o.n FROM unnest(ARRAY(SELECT jsonb_array_elements_text(
						                     coalesce(c.preferences -> :rpurpose, '[]')))) WITH ORDINALITY AS o(channel, n)
						            UNION ALL
						            SELECT d.channel, 100 + d.n FROM unnest(CAST(:rdefault AS text[])) WITH ORDINALITY AS d(channel, n)
						             WHERE :rtransactional OR jsonb_array_length(coalesce(c.preferences -> :rpurpose, '[]')) = 0
						          ) candidate
						           WHERE candidate.channel = ANY(CAST(:rsupported AS text[]))
						             AND coalesce((SELECT e.granted FROM consent_event e
						                            WHERE e.customer_id = c.id AND e.channel = candidate.channel
						                              AND e.purpose = :rpurpose
						                            ORDER BY e.recorded_at DESC, e.id DESC LIMIT 1), :rtransactional)
						             AND CASE candidate.channel
						                   WHEN 'EMAIL' THEN c.email IS NOT NULL AND c.email_state IN ('UNVERIFIED', 'VERIFIED')
						                   WHEN 'SMS' THEN c.phone IS NOT NULL AND c.phone_state IN ('UNVERIFIED', 'VERIFIED')
						                   WHEN 'PRINT' THEN c.address_lines IS NOT NULL AND c.address_state IN ('UNVERIFIED', 'VERIFIED')
						                   ELSE TRUE END
						           ORDER BY candidate.n LIMIT 1) AS channel
						    FROM customer c WHERE c.status = 'ACTIVE' AND\s"""
						+ condition.sql() + """
								) m WHERE m.channel IS NOT NULL GROUP BY m.channel""")
			.params(params)
			.query((rs) -> {
				reach.put(Channel.valueOf(rs.getString(1)), rs.getLong(2));
			});
		return reach;
	}

	/**
	 * Session settings for evaluating rules, in the current transaction only. Spend sums
	 * stream in customer order from their covering index: measured faster than hashing a
	 * million groups, which the planner would otherwise pick (ccm-bench).
	 */
	private void tune() {
		CoreProperties.SegmentSettings settings = properties.segments();
		jdbc.sql("""
				SELECT set_config('work_mem', ?, true), set_config('max_parallel_workers_per_gather', ?, true),
				  set_config('enable_hashagg', 'off', true)""")
			.params(settings.workMem(), String.valueOf(settings.parallelWorkers()))
			.query((rs, n) -> n)
			.list();
	}

	/**
	 * Runs one query class under its statement timeout, set for this transaction only and
	 * put back afterwards, because a membership check runs inside a caller's transaction
	 * (composing a document) whose other statements must not inherit it. A cancelled
	 * statement answers as a problem, never as an internal error.
	 */
	private <T> T timed(Duration timeout, String what, Supplier<T> query) {
		String before = jdbc.sql("SELECT current_setting('statement_timeout')").query(String.class).single();
		setStatementTimeout(String.valueOf(Math.max(1, timeout.toMillis())));
		T result;
		try {
			result = query.get();
		}
		catch (DataAccessException ex) {
			if (cancelled(ex)) {
				throw new ProblemException(ProblemType.QUERY_TIMEOUT,
						"The segment " + what + " took longer than " + timeout.toMillis()
								+ " ms and was stopped; simplify the rule or try again later",
						List.of(new FieldProblem("rule", "took longer than the segment " + what + " may take")));
			}
			throw ex;
		}
		// not reached after a failure: the transaction is aborted then and ends anyway
		setStatementTimeout(before);
		return result;
	}

	private void setStatementTimeout(String value) {
		jdbc.sql("SELECT set_config('statement_timeout', ?, true)").param(value).query(String.class).single();
	}

	// SQLSTATE 57014: query_canceled, which is what a statement timeout raises
	private static boolean cancelled(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof SQLException sql && "57014".equals(sql.getSQLState())) {
				return true;
			}
		}
		return false;
	}

	int previewSize() {
		return properties.segments().previewSize();
	}

	private List<CustomerSummary> page(SegmentCondition condition, int limit) {
		Map<String, Object> params = new LinkedHashMap<>(condition.params());
		params.put("limit", limit);
		String sql = MEMBERS + condition.sql();
		return jdbc.sql(sql + " ORDER BY c.external_id LIMIT :limit").params(params).query(Segments::summary).list();
	}

	private static CustomerSummary summary(ResultSet rs, int row) throws SQLException {
		return new CustomerSummary(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
				CustomerStatus.valueOf(rs.getString(4)), rs.getString(5), rs.getString(6), rs.getString(7),
				Timestamps.instant(rs, 8));
	}

	/**
	 * The saved segment's condition, for searches restricted to a segment.
	 * @throws UnknownSegmentException when there is no such segment
	 */
	SegmentCondition condition(String segmentKey) {
		Segment segment = find(segmentKey).orElseThrow(() -> new UnknownSegmentException(segmentKey));
		// checked against the limits when saved; a limit lowered later must not break it
		return new SegmentCompiler(attributes, json, "s", SegmentCompiler.Limits.NONE).compile(segment.rule(), "rule");
	}

	SegmentCondition compile(SegmentRule rule) {
		CoreProperties.SegmentSettings settings = properties.segments();
		return new SegmentCompiler(attributes, json, "s",
				new SegmentCompiler.Limits(settings.maxRules(), settings.maxDepth(), settings.maxInValues()))
			.compile(rule, "rule");
	}

}
