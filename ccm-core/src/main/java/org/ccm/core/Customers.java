package org.ccm.core;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import tools.jackson.databind.json.JsonMapper;

import static org.ccm.core.Timestamps.instant;
import static org.ccm.core.Timestamps.utc;

/**
 * The customer database as other modules see it.
 */
@Service
public class Customers {

	static final String SYSTEM = "system";

	private final JdbcClient jdbc;

	private final JsonMapper json;

	private final CustomerAttributes attributes;

	private final CustomerValidation validation;

	private final CustomerTable table;

	private final Timeline timeline;

	private final Segments segments;

	private final ApplicationEventPublisher events;

	private final Topics topics;

	private final Clock clock;

	Customers(JdbcClient jdbc, JsonMapper json, ApplicationEventPublisher events, CustomerAttributes attributes,
			CustomerValidation validation, CustomerTable table, Timeline timeline, Segments segments, Topics topics,
			Clock clock) {
		this.clock = clock;
		this.topics = topics;
		this.events = events;
		this.jdbc = jdbc;
		this.json = json;
		this.attributes = attributes;
		this.validation = validation;
		this.table = table;
		this.timeline = timeline;
		this.segments = segments;
	}

	@Transactional(readOnly = true)
	public Optional<CustomerProfile> findByExternalId(String externalId) {
		return table.find(externalId).map(this::withConsents);
	}

	@Transactional(readOnly = true)
	public Optional<CustomerProfile> findById(UUID id) {
		return table.find(id).map(this::withConsents);
	}

	/**
	 * Creates the customer or updates every field given; contact points are validated and
	 * consent changes are appended to the consent history.
	 * @throws InvalidCustomerException with a message per field when the details are
	 * invalid
	 */
	public CustomerProfile upsert(String externalId, CustomerDetails details) {
		return upsert(externalId, details, SYSTEM).customer();
	}

	/**
	 * Creates or replaces the customer's profile: name, contact points, address,
	 * attributes, preferences and quiet hours are taken as given (absent ones are
	 * removed); a missing locale or time zone keeps the stored one. Consent changes are
	 * appended to the history when they change the current state. A contact point that
	 * did not change keeps its state (a bounced address stays bounced); a new one starts
	 * unverified. Every changed field is audited with {@code actor}.
	 * @throws InvalidCustomerException with a message per field when the details are
	 * invalid; nothing is written then
	 */
	@Transactional
	UpsertOutcome upsert(String externalId, CustomerDetails details, String actor) {
		Map<String, String> problems = new LinkedHashMap<>();
		ValidDetails valid = validation.validate(externalId, details, problems);
		if (!problems.isEmpty()) {
			throw new InvalidCustomerException(problems);
		}
		Instant now = now();
		Optional<CustomerProfile> current = table.lock(externalId);
		CustomerChange change;
		if (current.isEmpty()) {
			change = CustomerChange.create(TimeOrderedUuid.next(), externalId, valid);
			if (!table.insert(change, actor, now)) {
				// created concurrently by another request: update that one
				current = table.lock(externalId);
				change = CustomerChange.update(current.orElseThrow(), valid, FieldsGiven.ALL);
				table.update(change, actor, now);
			}
		}
		else {
			change = CustomerChange.update(current.get(), valid, FieldsGiven.ALL);
			table.update(change, actor, now);
		}
		if (change.changes()) {
			timeline.recordAll(change.interactions(now));
		}
		return new UpsertOutcome(findById(change.next().id()).orElseThrow(), change.created(),
				change.changedFieldsAndConsents());
	}

	/**
	 * Marks the contact point behind a channel, for instance as bounced after a hard
	 * bounce, with the reason and the time; the timeline shows it. Routing skips a
	 * contact point whose state is not {@link ContactState#reachable() reachable}.
	 */
	@Transactional
	public void markContactState(UUID customerId, Channel channel, ContactState state, String reason) {
		String column = stateColumn(channel);
		if (column == null) {
			return;
		}
		Instant now = now();
		// only a contact point that exists has a state
		int updated = jdbc
			.sql("UPDATE customer SET " + column + " = ?, " + column + "_reason = ?, " + column
					+ "_at = ?, updated_at = ? WHERE id = ? AND " + contactColumn(channel) + " IS NOT NULL AND "
					+ column + " IS DISTINCT FROM ?")
			.params(state.name(), reason, utc(now), utc(now), customerId, state.name())
			.update();
		if (updated > 0) {
			table.audit(customerId, column, state.name(), SYSTEM + ": " + reason, now);
			Map<String, Object> detail = new LinkedHashMap<>();
			detail.put("state", state.name());
			detail.put("reason", reason);
			timeline.record(new Interaction(customerId, state.reachable() ? InteractionType.CONTACT_POINT_RESTORED
					: InteractionType.CONTACT_POINT_SUPPRESSED, channel, null, null, now, detail));
		}
		else if (!exists(customerId)) {
			throw new UnknownCustomerException(customerId);
		}
	}

	/**
	 * Makes a suppressed contact point usable again (unverified), on a staff member's
	 * word: the reason is required, kept in the customer's audit trail and timeline and
	 * published as {@link ContactPointCleared} for the platform's audit log.
	 * @return whether there was a suppressed contact point to clear
	 */
	@Transactional
	public boolean clearContactState(UUID customerId, Channel channel, String reason, String actor) {
		if (reason.isBlank()) {
			throw new IllegalArgumentException("a reason is required");
		}
		ContactPointState current = contactPoints(customerId).stream()
			.filter((point) -> point.channel() == channel)
			.findFirst()
			.orElse(null);
		if (current == null || !current.suppressed()) {
			return false;
		}
		String column = stateColumn(channel);
		Instant now = now();
		jdbc.sql("UPDATE customer SET " + column + " = ?, " + column + "_reason = ?, " + column
				+ "_at = ?, updated_at = ? WHERE id = ?")
			.params(ContactState.UNVERIFIED.name(), reason, utc(now), utc(now), customerId)
			.update();
		table.audit(customerId, column, "cleared " + current.state().name(), actor + ": " + reason, now);
		Map<String, Object> detail = new LinkedHashMap<>();
		detail.put("state", ContactState.UNVERIFIED.name());
		detail.put("previous", current.state().name());
		detail.put("reason", reason);
		detail.put("by", actor);
		timeline.record(
				new Interaction(customerId, InteractionType.CONTACT_POINT_RESTORED, channel, null, null, now, detail));
		String externalId = externalId(customerId);
		events.publishEvent(new ContactPointCleared(customerId, externalId, channel, current.state(), reason, actor));
		return true;
	}

	/**
	 * The customer's contact points (email, phone, postal address) with their state and
	 * why they are in it.
	 */
	@Transactional(readOnly = true)
	public List<ContactPointState> contactPoints(UUID customerId) {
		return jdbc.sql("""
				SELECT email, email_state, email_state_reason, email_state_at,
				       phone, phone_state, phone_state_reason, phone_state_at,
				       postcode, country, address_state, address_state_reason, address_state_at
				FROM customer WHERE id = ?""").param(customerId).query((rs, row) -> {
			List<ContactPointState> points = new ArrayList<>();
			if (rs.getString("email") != null) {
				points.add(state(rs, Channel.EMAIL, rs.getString("email"), "email_state"));
			}
			if (rs.getString("phone") != null) {
				points.add(state(rs, Channel.SMS, rs.getString("phone"), "phone_state"));
			}
			if (rs.getString("country") != null && rs.getString("address_state") != null) {
				String postcode = rs.getString("postcode");
				points.add(state(rs, Channel.PRINT,
						((postcode != null) ? postcode + ", " : "") + rs.getString("country"), "address_state"));
			}
			return points;
		}).optional().orElse(List.of());
	}

	private static ContactPointState state(ResultSet rs, Channel channel, String value, String column)
			throws SQLException {
		String state = rs.getString(column);
		OffsetDateTime at = rs.getObject(column + "_at", OffsetDateTime.class);
		return new ContactPointState(channel, value,
				(state != null) ? ContactState.valueOf(state) : ContactState.UNVERIFIED,
				rs.getString(column + "_reason"), (at != null) ? at.toInstant() : null);
	}

	private static @Nullable String stateColumn(Channel channel) {
		return switch (channel) {
			case EMAIL -> "email_state";
			case SMS -> "phone_state";
			case PRINT -> "address_state";
			case PORTAL -> null;
		};
	}

	private static String contactColumn(Channel channel) {
		return switch (channel) {
			case EMAIL -> "email";
			case SMS -> "phone";
			default -> "country";
		};
	}

	/**
	 * Records a consent change (for instance an unsubscribe) and keeps the history.
	 */
	@Transactional
	public void recordConsent(UUID customerId, Channel channel, Purpose purpose, boolean granted, String source) {
		recordConsents(customerId, List.of(new ConsentChange(channel, purpose, granted, source)), SYSTEM);
	}

	/**
	 * Records consent changes made on the customer's behalf by {@code actor}, in one
	 * transaction.
	 */
	@Transactional
	public void recordConsents(UUID customerId, List<ConsentChange> changes, String actor) {
		String externalId = externalId(customerId);
		Instant now = now();
		CustomerProfile current = table.lock(externalId).orElseThrow(() -> new UnknownCustomerException(customerId));
		CustomerChange change = new CustomerChange(CustomerRow.of(current), false, Set.of(),
				CustomerChange.consentChanges(current.consents(), changes));
		table.update(change, actor, now);
		if (change.changes()) {
			timeline.recordAll(change.interactions(now));
		}
	}

	/**
	 * The customer's own choices from the preference centre, made by {@code actor}: the
	 * order of channels for transactional documents, quiet hours, a pause of marketing
	 * (null lifts it) and consents. Each change is audited and written on the customer's
	 * timeline; unchanged choices write nothing.
	 * @throws InvalidCustomerException when a channel is named twice
	 */
	@Transactional
	public void changePreferences(UUID customerId, List<Channel> transactional, @Nullable QuietHours quietHours,
			@Nullable Instant marketingPausedUntil, List<ConsentChange> consents, String actor) {
		changePreferences(customerId, transactional, quietHours, marketingPausedUntil, consents, Map.of(), actor);
	}

	/**
	 * The preference centre's choices as above, with the topics the customer opts out of
	 * ({@code true}) or back into ({@code false}); topics not named keep their choice.
	 * @throws InvalidCustomerException when a channel is named twice, a topic is unknown
	 * or mandatory topics are opted out of; nothing is written then
	 */
	@Transactional
	public void changePreferences(UUID customerId, List<Channel> transactional, @Nullable QuietHours quietHours,
			@Nullable Instant marketingPausedUntil, List<ConsentChange> consents, Map<String, Boolean> topicOptOuts,
			String actor) {
		Map<String, String> problems = new LinkedHashMap<>(topics.problems(topicOptOuts));
		if (new HashSet<>(transactional).size() != transactional.size()) {
			problems.put("preferences.TRANSACTIONAL", "names a channel twice");
		}
		if (!problems.isEmpty()) {
			throw new InvalidCustomerException(problems);
		}
		String externalId = externalId(customerId);
		Instant now = now();
		CustomerProfile current = table.lock(externalId).orElseThrow(() -> new UnknownCustomerException(customerId));
		Map<Purpose, List<Channel>> preferences = new EnumMap<>(Purpose.class);
		preferences.putAll(current.channelPreferences());
		if (transactional.isEmpty()) {
			preferences.remove(Purpose.TRANSACTIONAL);
		}
		else {
			preferences.put(Purpose.TRANSACTIONAL, List.copyOf(transactional));
		}
		Set<String> changed = new LinkedHashSet<>();
		if (!preferences.equals(current.channelPreferences())) {
			changed.add("preferences");
		}
		if (!Objects.equals(quietHours, current.quietHours())) {
			changed.add("quietHours");
		}
		CustomerRow row = CustomerRow.of(current);
		CustomerChange change = new CustomerChange(
				new CustomerRow(row.id(), row.externalId(), row.name(), row.locale(), row.timeZone(), row.status(),
						row.email(), row.phone(), row.address(), row.attributes(), preferences, quietHours),
				false, changed, CustomerChange.consentChanges(current.consents(), consents));
		table.update(change, actor, now);
		boolean pauseChanged = !Objects.equals(marketingPausedUntil, current.marketingPausedUntil());
		if (pauseChanged) {
			table.pauseMarketing(customerId, marketingPausedUntil);
		}
		List<Interaction> entries = new ArrayList<>(change.interactions(now));
		if (!changed.isEmpty() || pauseChanged) {
			Map<String, Object> detail = new LinkedHashMap<>();
			detail.put("source", "preference centre");
			detail.put("changedBy", actor);
			detail.put("transactionalChannels", transactional.stream().map(Enum::name).toList());
			detail.put("quietHours", (quietHours != null) ? quietHours.start() + "-" + quietHours.end() : "none");
			detail.put("marketingPausedUntil",
					(marketingPausedUntil != null) ? marketingPausedUntil.toString() : "none");
			entries
				.add(new Interaction(customerId, InteractionType.PREFERENCES_CHANGED, null, null, null, now, detail));
		}
		timeline.recordAll(entries);
		topics.change(customerId, topicOptOuts, "preference centre", actor);
	}

	/**
	 * The consent history of a customer, newest first.
	 */
	@Transactional(readOnly = true)
	public List<ConsentRecord> consentHistory(UUID customerId) {
		return jdbc.sql("""
				SELECT channel, purpose, granted, source, changed_by, recorded_at FROM consent_event
				WHERE customer_id = ? ORDER BY recorded_at DESC, id DESC
				""")
			.param(customerId)
			.query((rs, n) -> new ConsentRecord(Channel.valueOf(rs.getString(1)), Purpose.valueOf(rs.getString(2)),
					rs.getBoolean(3), rs.getString(4), rs.getString(5), instant(rs, 6)))
			.list();
	}

	/**
	 * Who changed which field of the customer and when, newest first.
	 */
	@Transactional(readOnly = true)
	List<FieldChange> auditTrail(UUID customerId) {
		return jdbc.sql("""
				SELECT field, action, changed_by, changed_at FROM customer_audit
				WHERE customer_id = ? ORDER BY changed_at DESC, id DESC
				""")
			.param(customerId)
			.query((rs, n) -> new FieldChange(rs.getString(1), rs.getString(2), rs.getString(3), instant(rs, 4)))
			.list();
	}

	/**
	 * Customers matching every criterion of the query, in external-id order, a page at a
	 * time.
	 * @throws InvalidCustomerException when an attribute is not declared or its value
	 * cannot be read in the attribute's type, or the segment does not exist
	 */
	@Transactional(readOnly = true)
	CustomerSearchPage search(CustomerQuery query) {
		int limit = Math.max(1, Math.min(query.limit(), 1_000));
		StringBuilder sql = new StringBuilder("""
				SELECT c.id, c.external_id, c.name, c.status, c.email, c.phone, c.country, c.updated_at
				FROM customer c WHERE TRUE
				""");
		Map<String, Object> params = new LinkedHashMap<>();
		if (query.text() != null && !query.text().isBlank()) {
			String text = query.text().strip();
			sql.append(" AND (c.external_id = :text OR lower(c.email) = lower(:text) OR c.phone = :text"
					+ " OR c.name ILIKE :pattern ESCAPE '\\')");
			params.put("text", text);
			params.put("pattern", "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
		}
		if (query.status() != null) {
			sql.append(" AND c.status = :status");
			params.put("status", query.status().name());
		}
		if (query.country() != null && !query.country().isBlank()) {
			sql.append(" AND c.country = :country");
			params.put("country", query.country().strip().toUpperCase(Locale.ROOT));
		}
		if (!query.attributes().isEmpty()) {
			sql.append(" AND c.attributes @> CAST(:attributes AS jsonb)");
			params.put("attributes", json.writeValueAsString(attributes.typedValues(query.attributes())));
		}
		if (query.segment() != null && !query.segment().isBlank()) {
			SegmentCondition condition = segments.condition(query.segment());
			sql.append(" AND ").append(condition.sql());
			params.putAll(condition.params());
		}
		if (query.after() != null && !query.after().isEmpty()) {
			sql.append(" AND c.external_id > :after");
			params.put("after", query.after());
		}
		sql.append(" ORDER BY c.external_id LIMIT :limit");
		params.put("limit", limit + 1);
		List<CustomerSummary> found = jdbc.sql(sql.toString())
			.params(params)
			.query((rs, n) -> new CustomerSummary(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
					CustomerStatus.valueOf(rs.getString(4)), rs.getString(5), rs.getString(6), rs.getString(7),
					instant(rs, 8)))
			.list();
		if (found.size() <= limit) {
			return new CustomerSearchPage(found, null);
		}
		List<CustomerSummary> page = found.subList(0, limit);
		return new CustomerSearchPage(List.copyOf(page), page.get(limit - 1).externalId());
	}

	// ------------------------------------------------------------------ reading

	private CustomerProfile withConsents(CustomerProfile profile) {
		return table.withConsents(profile, table.currentConsents(profile.id()));
	}

	private String externalId(UUID customerId) {
		return jdbc.sql("SELECT external_id FROM customer WHERE id = ?")
			.param(customerId)
			.query(String.class)
			.optional()
			.orElseThrow(() -> new UnknownCustomerException(customerId));
	}

	private boolean exists(UUID customerId) {
		return jdbc.sql("SELECT count(*) FROM customer WHERE id = ?").param(customerId).query(Long.class).single() > 0;
	}

	private Instant now() {
		return Instant.now(this.clock);
	}

}
