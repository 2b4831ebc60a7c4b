package org.ccm.core;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumMap;
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

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import static org.ccm.core.Timestamps.instant;
import static org.ccm.core.Timestamps.utc;

/**
 * The customer database as other modules see it.
 */
@Service
public class Customers {

	static final String SYSTEM = "system";

	static final String COLUMNS = """
			id, external_id, name, locale, time_zone, status, email, email_state, phone, phone_state,
			address_lines, postcode, city, country, address_state, attributes::text AS attributes,
			preferences::text AS preferences, quiet_start, quiet_end, created_at, updated_at
			""";

	private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
	};

	private static final TypeReference<Map<Purpose, List<Channel>>> PREFERENCES = new TypeReference<>() {
	};

	private final JdbcClient jdbc;

	private final JsonMapper json;

	private final ApplicationEventPublisher events;

	private final CustomerAttributes attributes;

	private final Timeline timeline;

	private final CoreProperties properties;

	private final Segments segments;

	private final Clock clock;

	Customers(JdbcClient jdbc, JsonMapper json, ApplicationEventPublisher events, CustomerAttributes attributes,
			Timeline timeline, Segments segments, CoreProperties properties, Clock clock) {
		this.segments = segments;
		this.clock = clock;
		this.jdbc = jdbc;
		this.json = json;
		this.events = events;
		this.attributes = attributes;
		this.timeline = timeline;
		this.properties = properties;
	}

	@Transactional(readOnly = true)
	public Optional<CustomerProfile> findByExternalId(String externalId) {
		return jdbc.sql("SELECT " + COLUMNS + " FROM customer WHERE external_id = ?")
			.param(externalId)
			.query(this::profile)
			.optional()
			.map(this::withConsents);
	}

	@Transactional(readOnly = true)
	public Optional<CustomerProfile> findById(UUID id) {
		return jdbc.sql("SELECT " + COLUMNS + " FROM customer WHERE id = ?")
			.param(id)
			.query(this::profile)
			.optional()
			.map(this::withConsents);
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
		Valid valid = validate(externalId, details, problems);
		if (!problems.isEmpty()) {
			throw new InvalidCustomerException(problems);
		}
		Instant now = now();
		Optional<CustomerProfile> existing = lock(externalId);
		if (existing.isEmpty()) {
			UUID id = TimeOrderedUuid.next();
			boolean inserted = insert(id, externalId, valid, now);
			if (inserted) {
				audit(id, "customer", "CREATED", actor, now);
				Set<String> consents = applyConsents(id, details.consents(), List.of(), actor, now);
				events.publishEvent(new CustomerUpdated(id, externalId));
				Set<String> changed = new LinkedHashSet<>(List.of("customer"));
				changed.addAll(consents);
				return new UpsertOutcome(findById(id).orElseThrow(), true, changed);
			}
			// created concurrently by another request: update that one
			existing = lock(externalId);
		}
		CustomerProfile current = existing.orElseThrow();
		Set<String> changed = update(current, valid, now);
		changed.forEach((field) -> audit(current.id(), field, "UPDATED", actor, now));
		changed.addAll(applyConsents(current.id(), details.consents(), current.consents(), actor, now));
		if (!changed.isEmpty()) {
			jdbc.sql("UPDATE customer SET updated_at = ? WHERE id = ?").params(utc(now), current.id()).update();
			events.publishEvent(new CustomerUpdated(current.id(), externalId));
		}
		return new UpsertOutcome(findById(current.id()).orElseThrow(), false, changed);
	}

	/**
	 * Marks the contact point behind a channel, for instance as bounced after a hard
	 * bounce.
	 */
	@Transactional
	public void markContactState(UUID customerId, Channel channel, ContactState state, String reason) {
		String column = switch (channel) {
			case EMAIL -> "email_state";
			case SMS -> "phone_state";
			case PRINT -> "address_state";
			case PORTAL -> null;
		};
		if (column == null) {
			return;
		}
		Instant now = now();
		String contact = switch (channel) {
			case EMAIL -> "email";
			case SMS -> "phone";
			default -> "country";
		};
		// only a contact point that exists has a state
		int updated = jdbc
			.sql("UPDATE customer SET " + column + " = ?, updated_at = ? WHERE id = ? AND " + contact
					+ " IS NOT NULL AND " + column + " IS DISTINCT FROM ?")
			.params(state.name(), utc(now), customerId, state.name())
			.update();
		if (updated > 0) {
			audit(customerId, column, state.name(), SYSTEM + ": " + reason, now);
			events.publishEvent(new CustomerUpdated(customerId, externalId(customerId)));
		}
		else if (!exists(customerId)) {
			throw new UnknownCustomerException(customerId);
		}
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
		Set<String> changed = applyConsents(customerId, changes, currentConsents(customerId), actor, now());
		if (!changed.isEmpty()) {
			jdbc.sql("UPDATE customer SET updated_at = ? WHERE id = ?").params(utc(now()), customerId).update();
			events.publishEvent(new CustomerUpdated(customerId, externalId));
		}
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

	// ------------------------------------------------------------------ writing

	private Optional<CustomerProfile> lock(String externalId) {
		return jdbc.sql("SELECT " + COLUMNS + " FROM customer WHERE external_id = ? FOR UPDATE")
			.param(externalId)
			.query(this::profile)
			.optional()
			.map(this::withConsents);
	}

	private boolean insert(UUID id, String externalId, Valid valid, Instant now) {
		return jdbc.sql("""
				INSERT INTO customer (id, external_id, name, locale, time_zone, status, email, email_state, phone,
				  phone_state, address_lines, postcode, city, country, address_state, attributes, preferences,
				  quiet_start, quiet_end, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, 'ACTIVE', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?, ?)
				ON CONFLICT (external_id) DO NOTHING
				""")
			.params(id, externalId, valid.name(), valid.locale().toLanguageTag(), valid.timeZone().getId(),
					valid.email(), valid.email() != null ? ContactState.UNVERIFIED.name() : null, valid.phone(),
					valid.phone() != null ? ContactState.UNVERIFIED.name() : null, addressLines(valid.address()),
					valid.address() != null ? valid.address().postcode() : null,
					valid.address() != null ? valid.address().city() : null,
					valid.address() != null ? valid.address().country() : null,
					valid.address() != null ? valid.address().state().name() : null,
					json.writeValueAsString(valid.attributes()), json.writeValueAsString(valid.preferences()),
					quietStart(valid.quietHours()), quietEnd(valid.quietHours()), utc(now), utc(now))
			.update() == 1;
	}

	private Set<String> update(CustomerProfile current, Valid valid, Instant now) {
		Set<String> changed = new LinkedHashSet<>();
		if (!current.name().equals(valid.name())) {
			changed.add("name");
		}
		Locale locale = valid.localeGiven() ? valid.locale() : current.locale();
		if (!current.locale().equals(locale)) {
			changed.add("locale");
		}
		ZoneId timeZone = valid.timeZoneGiven() ? valid.timeZone() : current.timeZone();
		if (!current.timeZone().equals(timeZone)) {
			changed.add("timeZone");
		}
		String emailState = contactState(current.email(), valid.email());
		if (!Objects.equals(current.email() != null ? current.email().value() : null, valid.email())) {
			changed.add("email");
		}
		String phoneState = contactState(current.phone(), valid.phone());
		if (!Objects.equals(current.phone() != null ? current.phone().value() : null, valid.phone())) {
			changed.add("phone");
		}
		PostalAddress address = valid.address();
		if (address != null && current.postalAddress() != null && sameAddress(current.postalAddress(), address)) {
			address = current.postalAddress();
		}
		else if (address != null || current.postalAddress() != null) {
			changed.add("postalAddress");
		}
		Set<String> attributeNames = new LinkedHashSet<>(current.attributes().keySet());
		attributeNames.addAll(valid.attributes().keySet());
		for (String name : attributeNames) {
			if (!Objects.equals(normalised(current.attributes().get(name)), normalised(valid.attributes().get(name)))) {
				changed.add("attributes." + name);
			}
		}
		if (!current.channelPreferences().equals(valid.preferences())) {
			changed.add("preferences");
		}
		if (!Objects.equals(current.quietHours(), valid.quietHours())) {
			changed.add("quietHours");
		}
		if (changed.isEmpty()) {
			return changed;
		}
		jdbc.sql("""
				UPDATE customer SET name = ?, locale = ?, time_zone = ?, email = ?, email_state = ?, phone = ?,
				  phone_state = ?, address_lines = ?, postcode = ?, city = ?, country = ?, address_state = ?,
				  attributes = ?::jsonb, preferences = ?::jsonb, quiet_start = ?, quiet_end = ?, updated_at = ?
				WHERE id = ?
				""")
			.params(valid.name(), locale.toLanguageTag(), timeZone.getId(), valid.email(), emailState, valid.phone(),
					phoneState, addressLines(address), address != null ? address.postcode() : null,
					address != null ? address.city() : null, address != null ? address.country() : null,
					address != null ? address.state().name() : null, json.writeValueAsString(valid.attributes()),
					json.writeValueAsString(valid.preferences()), quietStart(valid.quietHours()),
					quietEnd(valid.quietHours()), utc(now), current.id())
			.update();
		return changed;
	}

	// numbers come back from jsonb as Integer, Long or BigDecimal: compare by value
	static @Nullable Object normalised(@Nullable Object value) {
		if (value instanceof Number number) {
			return new java.math.BigDecimal(number.toString()).stripTrailingZeros();
		}
		return value;
	}

	private static @Nullable String contactState(@Nullable ContactPoint current, @Nullable String value) {
		if (value == null) {
			return null;
		}
		if (current != null && current.value().equals(value)) {
			return current.state().name();
		}
		return ContactState.UNVERIFIED.name();
	}

	private static boolean sameAddress(PostalAddress a, PostalAddress b) {
		return a.lines().equals(b.lines()) && a.postcode().equals(b.postcode()) && a.city().equals(b.city())
				&& a.country().equals(b.country());
	}

	private Set<String> applyConsents(UUID customerId, List<ConsentChange> changes, List<ConsentState> current,
			String actor, Instant now) {
		Map<String, Boolean> state = new LinkedHashMap<>();
		current.forEach((consent) -> state.put(consent.channel() + "." + consent.purpose(), consent.granted()));
		Set<String> changed = new LinkedHashSet<>();
		for (ConsentChange change : changes) {
			String key = change.channel() + "." + change.purpose();
			if (Objects.equals(state.get(key), change.granted())) {
				continue;
			}
			state.put(key, change.granted());
			jdbc.sql("""
					INSERT INTO consent_event (customer_id, channel, purpose, granted, source, changed_by, recorded_at)
					VALUES (?, ?, ?, ?, ?, ?, ?)
					""")
				.params(customerId, change.channel().name(), change.purpose().name(), change.granted(), change.source(),
						actor, utc(now))
				.update();
			audit(customerId, "consent." + key, change.granted() ? "GRANTED" : "WITHDRAWN", actor, now);
			timeline.record(new Interaction(customerId, InteractionType.CONSENT_CHANGED, change.channel(), null, null,
					now, Map.of("purpose", change.purpose().name(), "granted", change.granted(), "source",
							change.source())));
			changed.add("consent." + key);
		}
		return changed;
	}

	void audit(UUID customerId, String field, String action, String actor, Instant at) {
		jdbc.sql(
				"INSERT INTO customer_audit (customer_id, field, action, changed_by, changed_at) VALUES (?, ?, ?, ?, ?)")
			.params(customerId, field, action, actor, utc(at))
			.update();
	}

	// ------------------------------------------------------------------ validation

	/**
	 * Details checked and normalised (E.164 phone, trimmed email, defaults applied).
	 */
	record Valid(String name, Locale locale, boolean localeGiven, ZoneId timeZone, boolean timeZoneGiven,
			@Nullable String email, @Nullable String phone, @Nullable PostalAddress address,
			Map<String, Object> attributes, Map<Purpose, List<Channel>> preferences, @Nullable QuietHours quietHours) {
	}

	Valid validate(String externalId, CustomerDetails details, Map<String, String> problems) {
		if (externalId.isBlank() || externalId.length() > 200) {
			problems.put("externalId", "must be 1 to 200 characters");
		}
		String name = details.name() != null ? details.name().strip() : "";
		if (name.isEmpty() || name.length() > 500) {
			problems.put("name", "must be 1 to 500 characters");
		}
		Locale locale = details.locale() != null ? details.locale() : properties.defaults().locale();
		if (details.locale() != null && details.locale().getLanguage().isEmpty()) {
			problems.put("locale", "must be a BCP 47 language tag such as en-GB");
		}
		ZoneId timeZone = details.timeZone() != null ? details.timeZone() : properties.defaults().timeZone();
		String email = null;
		if (details.email() != null && !details.email().isBlank()) {
			email = ContactValidation.email(details.email()).orElse(null);
			if (email == null) {
				problems.put("email", "is not a valid email address");
			}
		}
		PostalAddress address = details.postalAddress();
		if (address != null) {
			address = validAddress(address, problems);
		}
		String phone = null;
		if (details.phone() != null && !details.phone().isBlank()) {
			String region = (address != null) ? address.country()
					: !locale.getCountry().isEmpty() ? locale.getCountry() : properties.defaults().phoneRegion();
			phone = ContactValidation.phone(details.phone(), region).orElse(null);
			if (phone == null) {
				problems.put("phone", "is not a valid phone number (E.164, e.g. +447911123456)");
			}
		}
		Map<String, Object> attributeValues = new LinkedHashMap<>();
		if (details.attributes() != null) {
			details.attributes().forEach((key, value) -> {
				if (value != null) {
					attributeValues.put(key, value);
				}
			});
			problems.putAll(attributes.problems(details.attributes()));
		}
		Map<Purpose, List<Channel>> preferences = new EnumMap<>(Purpose.class);
		if (details.preferences() != null) {
			details.preferences().forEach((purpose, channels) -> {
				if (purpose == null || channels == null) {
					return;
				}
				if (channels.stream().anyMatch(Objects::isNull)
						|| new LinkedHashSet<>(channels).size() != channels.size()) {
					problems.put("preferences." + purpose, "must list each channel at most once");
				}
				else if (!channels.isEmpty()) {
					preferences.put(purpose, List.copyOf(channels));
				}
			});
		}
		if (details.consents() != null) {
			for (int i = 0; i < details.consents().size(); i++) {
				ConsentChange consent = details.consents().get(i);
				if (consent == null || consent.channel() == null || consent.purpose() == null) {
					problems.put("consents[" + i + "]", "needs a channel and a purpose");
				}
				else if (consent.source() == null || consent.source().isBlank()) {
					problems.put("consents[" + i + "].source", "must say where the consent came from");
				}
			}
		}
		QuietHours quietHours = details.quietHours();
		if (quietHours != null && (quietHours.start() == null || quietHours.end() == null)) {
			problems.put("quietHours", "needs a start and an end");
			quietHours = null;
		}
		return new Valid(name, locale, details.locale() != null, timeZone, details.timeZone() != null, email, phone,
				address, attributeValues, preferences, quietHours);
	}

	private static @Nullable PostalAddress validAddress(PostalAddress address, Map<String, String> problems) {
		List<String> lines = (address.lines() != null) ? address.lines()
			.stream()
			.filter(Objects::nonNull)
			.map((line) -> line.replace("\u001F", "").strip())
			.filter((l) -> !l.isEmpty())
			.toList() : List.of();
		if (lines.isEmpty()) {
			problems.put("postalAddress.lines", "must have at least one line");
		}
		if (address.city() == null || address.city().isBlank()) {
			problems.put("postalAddress.city", "must not be blank");
		}
		if (address.country() == null || !ContactValidation.isCountry(address.country())) {
			problems.put("postalAddress.country", "must be an ISO 3166-1 alpha-2 country code such as GB");
			return null;
		}
		return new PostalAddress(lines, address.postcode() != null ? address.postcode().strip() : "",
				address.city() != null ? address.city().strip() : "", address.country().toUpperCase(Locale.ROOT),
				address.state() != null ? address.state() : ContactState.UNVERIFIED);
	}

	// ------------------------------------------------------------------ reading

	private CustomerProfile withConsents(CustomerProfile profile) {
		return new CustomerProfile(profile.id(), profile.externalId(), profile.name(), profile.locale(),
				profile.timeZone(), profile.status(), profile.email(), profile.phone(), profile.postalAddress(),
				profile.attributes(), profile.channelPreferences(), profile.quietHours(), currentConsents(profile.id()),
				profile.createdAt(), profile.updatedAt());
	}

	/**
	 * The current consent per channel and purpose: the latest event of each, in one index
	 * scan.
	 */
	List<ConsentState> currentConsents(UUID customerId) {
		return jdbc.sql("""
				SELECT DISTINCT ON (channel, purpose) channel, purpose, granted, source, recorded_at
				FROM consent_event WHERE customer_id = ?
				ORDER BY channel, purpose, recorded_at DESC, id DESC
				""")
			.param(customerId)
			.query((rs, n) -> new ConsentState(Channel.valueOf(rs.getString(1)), Purpose.valueOf(rs.getString(2)),
					rs.getBoolean(3), rs.getString(4), instant(rs, 5)))
			.list();
	}

	CustomerProfile profile(ResultSet rs, int row) throws SQLException {
		String email = rs.getString("email");
		String phone = rs.getString("phone");
		String country = rs.getString("country");
		PostalAddress address = null;
		if (country != null) {
			Array lines = rs.getArray("address_lines");
			address = new PostalAddress((lines != null) ? List.of((String[]) lines.getArray()) : List.of(),
					Objects.requireNonNullElse(rs.getString("postcode"), ""),
					Objects.requireNonNullElse(rs.getString("city"), ""), country,
					ContactState.valueOf(rs.getString("address_state")));
		}
		LocalTime quietStart = rs.getObject("quiet_start", LocalTime.class);
		LocalTime quietEnd = rs.getObject("quiet_end", LocalTime.class);
		return new CustomerProfile(rs.getObject("id", UUID.class), rs.getString("external_id"), rs.getString("name"),
				Locale.forLanguageTag(rs.getString("locale")), ZoneId.of(rs.getString("time_zone")),
				CustomerStatus.valueOf(rs.getString("status")),
				(email != null) ? new ContactPoint(email, ContactState.valueOf(rs.getString("email_state"))) : null,
				(phone != null) ? new ContactPoint(phone, ContactState.valueOf(rs.getString("phone_state"))) : null,
				address, json.readValue(rs.getString("attributes"), MAP), preferences(rs.getString("preferences")),
				(quietStart != null && quietEnd != null) ? new QuietHours(quietStart, quietEnd) : null, List.of(),
				instant(rs, "created_at"), instant(rs, "updated_at"));
	}

	private Map<Purpose, List<Channel>> preferences(String value) {
		Map<Purpose, List<Channel>> preferences = new EnumMap<>(Purpose.class);
		preferences.putAll(json.readValue(value, PREFERENCES));
		return preferences;
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

	private static String @Nullable [] addressLines(@Nullable PostalAddress address) {
		return (address != null) ? address.lines().toArray(String[]::new) : null;
	}

	private static @Nullable LocalTime quietStart(@Nullable QuietHours quietHours) {
		return (quietHours != null) ? quietHours.start() : null;
	}

	private static @Nullable LocalTime quietEnd(@Nullable QuietHours quietHours) {
		return (quietHours != null) ? quietHours.end() : null;
	}

	private Instant now() {
		return Instant.now(clock);
	}

}
