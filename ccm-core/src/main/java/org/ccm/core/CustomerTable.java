package org.ccm.core;

import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.support.SQLExceptionTranslator;
import org.springframework.jdbc.support.SQLStateSQLExceptionTranslator;
import org.springframework.stereotype.Component;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code customer} table with its consent history and audit trail: every statement
 * that writes them, one row at a time for upserts and set-based for imports. The columns
 * are listed once, in {@link #columns}; both kinds of statement are built from that list.
 */
@Component
class CustomerTable {

	private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
	};

	private static final TypeReference<Map<Purpose, List<Channel>>> PREFERENCES = new TypeReference<>() {
	};

	private static final String CONSENTS = """
			SELECT DISTINCT ON (customer_id, channel, purpose) customer_id, channel, purpose, granted, source,
			  recorded_at
			FROM consent_event WHERE customer_id = ANY(?)
			ORDER BY customer_id, channel, purpose, recorded_at DESC, id DESC
			""";

	// one customer's, read for every message: with "= ANY" of an array PostgreSQL planned
	// the statement again on every call (a generic plan looked costlier for an array of
	// unknown length), which cost more than running it
	private static final String CONSENTS_OF_ONE = CONSENTS.replace("= ANY(?)", "= ?");

	/**
	 * A stored column: its name, its PostgreSQL type and the row's value as that type's
	 * text input.
	 */
	private record Column(String name, String type, Function<CustomerRow, @Nullable String> text) {
	}

	// a unique violation becomes DuplicateKeyException, as with JdbcClient
	private static final SQLExceptionTranslator translator = new SQLStateSQLExceptionTranslator();

	private final List<Column> columns;

	// a few dozen orders of four channels: each written once, not once per imported row
	private final Map<Map<Purpose, List<Channel>>, String> preferencesJson = new ConcurrentHashMap<>();

	private final String select;

	private final String insert;

	private final String update;

	private final JdbcClient jdbc;

	private final JsonMapper json;

	private final DataSource dataSource;

	CustomerTable(JdbcClient jdbc, JsonMapper json, DataSource dataSource) {
		this.jdbc = jdbc;
		this.json = json;
		this.dataSource = dataSource;
		this.columns = List.of(new Column("id", "uuid", (row) -> row.id().toString()),
				new Column("external_id", "text", CustomerRow::externalId),
				new Column("name", "text", CustomerRow::name),
				new Column("locale", "text", (row) -> row.locale().toLanguageTag()),
				new Column("time_zone", "text", (row) -> row.timeZone().getId()),
				new Column("status", "text", (row) -> row.status().name()),
				new Column("email", "text", (row) -> value(row.email())),
				new Column("email_state", "text", (row) -> state(row.email())),
				new Column("phone", "text", (row) -> value(row.phone())),
				new Column("phone_state", "text", (row) -> state(row.phone())),
				new Column("address_lines", "text[]",
						(row) -> (row.address() != null) ? arrayLiteral(row.address().lines()) : null),
				new Column("postcode", "text", (row) -> (row.address() != null) ? row.address().postcode() : null),
				new Column("city", "text", (row) -> (row.address() != null) ? row.address().city() : null),
				new Column("country", "text", (row) -> (row.address() != null) ? row.address().country() : null),
				new Column("address_state", "text",
						(row) -> (row.address() != null) ? row.address().state().name() : null),
				new Column("attributes", "jsonb", (row) -> json.writeValueAsString(row.attributes())),
				new Column("preferences", "jsonb", (row) -> preferencesJson(row.preferences())),
				new Column("quiet_start", "time",
						(row) -> (row.quietHours() != null) ? row.quietHours().start().toString() : null),
				new Column("quiet_end", "time",
						(row) -> (row.quietHours() != null) ? row.quietHours().end().toString() : null));
		this.select = "SELECT " + names()
				+ ", created_at, updated_at, import_job, marketing_paused_until FROM customer ";
		this.insert = "INSERT INTO customer (" + names() + ", created_at, updated_at) VALUES ("
				+ columns.stream().map((c) -> "?::" + c.type()).collect(Collectors.joining(", "))
				+ ", ?, ?) ON CONFLICT (external_id) DO NOTHING";
		this.update = "UPDATE customer SET "
				+ columns.stream().skip(1).map((c) -> c.name() + " = ?::" + c.type()).collect(Collectors.joining(", "))
				+ ", updated_at = ? WHERE id = ?";
	}

	// ------------------------------------------------------------------ reading

	Optional<CustomerProfile> find(String externalId) {
		return jdbc.sql(select + "WHERE external_id = ?").param(externalId).query(this::profile).optional();
	}

	Optional<CustomerProfile> find(UUID id) {
		return jdbc.sql(select + "WHERE id = ?").param(id).query(this::profile).optional();
	}

	/**
	 * The customer with their current consents, locked until the transaction ends.
	 */
	Optional<CustomerProfile> lock(String externalId) {
		return jdbc.sql(select + "WHERE external_id = ? FOR UPDATE")
			.param(externalId)
			.query(this::profile)
			.optional()
			.map((profile) -> withConsents(profile, currentConsents(profile.id())));
	}

	/**
	 * A customer locked for an import, and the import that last wrote them.
	 */
	record Locked(CustomerProfile profile, @Nullable UUID importJob) {
	}

	/**
	 * The customers of these external ids, locked until the transaction ends; the current
	 * consents are read only for those in {@code withConsents}.
	 */
	Map<String, Locked> lock(Collection<String> externalIds, Set<String> withConsents) {
		if (externalIds.isEmpty()) {
			return Map.of();
		}
		Map<String, Locked> found = new HashMap<>();
		jdbc.sql(select + "WHERE external_id = ANY(?) FOR UPDATE")
			.param(externalIds.toArray(String[]::new))
			.query((rs) -> {
				CustomerProfile profile = profile(rs, 0);
				found.put(profile.externalId(), new Locked(profile, rs.getObject("import_job", UUID.class)));
			});
		List<UUID> ids = found.values()
			.stream()
			.map(Locked::profile)
			.filter((profile) -> withConsents.contains(profile.externalId()))
			.map(CustomerProfile::id)
			.toList();
		if (!ids.isEmpty()) {
			Map<UUID, List<ConsentState>> consents = new HashMap<>();
			jdbc.sql(CONSENTS)
				.param(ids.toArray(UUID[]::new))
				.query((RowCallbackHandler) (rs) -> consents
					.computeIfAbsent(rs.getObject(1, UUID.class), (id) -> new ArrayList<>())
					.add(consent(rs, 2)));
			found.replaceAll((externalId, locked) -> new Locked(
					withConsents(locked.profile(), consents.getOrDefault(locked.profile().id(), List.of())),
					locked.importJob()));
		}
		return found;
	}

	/**
	 * The current consent per channel and purpose: the latest event of each, in one index
	 * scan.
	 */
	List<ConsentState> currentConsents(UUID customerId) {
		return jdbc.sql(CONSENTS_OF_ONE).param(customerId).query((rs, n) -> consent(rs, 2)).list();
	}

	CustomerProfile withConsents(CustomerProfile profile, List<ConsentState> consents) {
		return new CustomerProfile(profile.id(), profile.externalId(), profile.name(), profile.locale(),
				profile.timeZone(), profile.status(), profile.email(), profile.phone(), profile.postalAddress(),
				profile.attributes(), profile.channelPreferences(), profile.quietHours(), consents, profile.createdAt(),
				profile.updatedAt(), profile.marketingPausedUntil());
	}

	private CustomerProfile profile(ResultSet rs, int row) throws SQLException {
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
		OffsetDateTime paused = rs.getObject("marketing_paused_until", OffsetDateTime.class);
		LocalTime quietStart = rs.getObject("quiet_start", LocalTime.class);
		LocalTime quietEnd = rs.getObject("quiet_end", LocalTime.class);
		Map<Purpose, List<Channel>> preferences = new EnumMap<>(Purpose.class);
		preferences.putAll(json.readValue(rs.getString("preferences"), PREFERENCES));
		return new CustomerProfile(rs.getObject("id", UUID.class), rs.getString("external_id"), rs.getString("name"),
				Locale.forLanguageTag(rs.getString("locale")), ZoneId.of(rs.getString("time_zone")),
				CustomerStatus.valueOf(rs.getString("status")),
				(email != null) ? new ContactPoint(email, ContactState.valueOf(rs.getString("email_state"))) : null,
				(phone != null) ? new ContactPoint(phone, ContactState.valueOf(rs.getString("phone_state"))) : null,
				address, json.readValue(rs.getString("attributes"), MAP), preferences,
				(quietStart != null && quietEnd != null) ? new QuietHours(quietStart, quietEnd) : null, List.of(),
				Timestamps.instant(rs, "created_at"), Timestamps.instant(rs, "updated_at"),
				(paused != null) ? paused.toInstant() : null);
	}

	/**
	 * Sets or lifts the customer's marketing pause.
	 */
	void pauseMarketing(UUID customerId, @Nullable Instant until) {
		jdbc.sql("UPDATE customer SET marketing_paused_until = ? WHERE id = ?")
			.params((until != null) ? Timestamps.utc(until) : null, customerId)
			.update();
	}

	private static ConsentState consent(ResultSet rs, int first) throws SQLException {
		return new ConsentState(Channel.valueOf(rs.getString(first)), Purpose.valueOf(rs.getString(first + 1)),
				rs.getBoolean(first + 2), rs.getString(first + 3), Timestamps.instant(rs, first + 4));
	}

	// ------------------------------------------------------------------ one customer

	/**
	 * Inserts a new customer with its consents and audit entries.
	 * @return false, writing nothing, when the external id exists already (created
	 * concurrently)
	 */
	boolean insert(CustomerChange change, String actor, Instant now) {
		List<Object> params = values(change.next());
		params.add(Timestamps.utc(now));
		params.add(Timestamps.utc(now));
		if (jdbc.sql(insert).params(params).update() == 0) {
			return false;
		}
		history(change, actor, now);
		return true;
	}

	/**
	 * Stores the customer's new values, consents and audit entries when the change
	 * changes anything.
	 */
	void update(CustomerChange change, String actor, Instant now) {
		if (!change.changes()) {
			return;
		}
		List<Object> params = values(change.next());
		params.remove(0);
		params.add(Timestamps.utc(now));
		params.add(change.next().id());
		jdbc.sql(update).params(params).update();
		history(change, actor, now);
	}

	void audit(UUID customerId, String field, String action, String actor, Instant at) {
		jdbc.sql(
				"INSERT INTO customer_audit (customer_id, field, action, changed_by, changed_at) VALUES (?, ?, ?, ?, ?)")
			.params(customerId, field, action, actor, Timestamps.utc(at))
			.update();
	}

	private void history(CustomerChange change, String actor, Instant now) {
		UUID id = change.next().id();
		for (ConsentChange consent : change.consentChanges()) {
			jdbc.sql("""
					INSERT INTO consent_event (customer_id, channel, purpose, granted, source, changed_by, recorded_at)
					VALUES (?, ?, ?, ?, ?, ?, ?)
					""")
				.params(id, consent.channel().name(), consent.purpose().name(), consent.granted(), consent.source(),
						actor, Timestamps.utc(now))
				.update();
		}
		change.audit().forEach((entry) -> audit(id, entry.field(), entry.action(), actor, now));
	}

	private List<Object> values(CustomerRow row) {
		List<Object> values = new ArrayList<>(columns.size() + 2);
		columns.forEach((column) -> values.add(new SqlParameterValue(Types.VARCHAR, column.text().apply(row))));
		return values;
	}

	// ------------------------------------------------------------------ many customers

	/**
	 * A change with the customer's columns rendered in {@code COPY}'s text format.
	 * Rendering (JSON, arrays, escaping) is the costly part of writing, so imports render
	 * on their parsing threads.
	 */
	record Staged(CustomerChange change, String columns) {
	}

	Staged stage(CustomerChange change) {
		StringBuilder text = new StringBuilder(384);
		for (int i = 0; i < columns.size(); i++) {
			if (i > 0) {
				text.append('\t');
			}
			field(text, columns.get(i).text().apply(change.next()));
		}
		return new Staged(change, text.toString());
	}

	/**
	 * Writes new customers, their audit entries and consents straight into their tables
	 * with {@code COPY}, in the caller's transaction, marking each as last written by
	 * this import. Nothing is merged, which is what makes it cheaper than the
	 * {@link Staging staging table}.
	 * @return false, writing nothing, when one of the external ids exists already
	 * (someone else created it meanwhile): the caller writes them through the staging
	 * table then
	 */
	boolean copyNew(List<Staged> created, UUID job, String actor, Instant now) {
		if (created.isEmpty()) {
			return true;
		}
		// the transaction survives a refused COPY only by rolling back to here
		jdbc.sql("SAVEPOINT customer_copy").update();
		try {
			copyRows(created, job, actor, now);
		}
		catch (DuplicateKeyException ex) {
			jdbc.sql("ROLLBACK TO SAVEPOINT customer_copy").update();
			return false;
		}
		jdbc.sql("RELEASE SAVEPOINT customer_copy").update();
		return true;
	}

	private void copyRows(List<Staged> created, UUID job, String actor, Instant now) {
		String at = Timestamps.utc(now).toString();
		String marks = "\t" + at + "\t" + at + "\t" + job + "\n";
		StringBuilder escapedActor = new StringBuilder();
		field(escapedActor, actor);
		String audited = "\t" + escapedActor + "\t" + at + "\n";
		Connection connection = DataSourceUtils.getConnection(dataSource);
		try {
			copy(connection, "COPY customer (" + names() + ", created_at, updated_at, import_job) FROM STDIN", created,
					(text, staged, i) -> text.append(staged.columns()).append(marks));
			copy(connection, "COPY customer_audit (customer_id, field, action, changed_by, changed_at) FROM STDIN",
					created, (text, staged, i) -> {
						for (CustomerChange.Audit entry : staged.change().audit()) {
							text.append(staged.change().next().id()).append('\t');
							field(text, entry.field());
							text.append('\t');
							field(text, entry.action());
							text.append(audited);
						}
					});
			if (created.stream().anyMatch((staged) -> !staged.change().consentChanges().isEmpty())) {
				copy(connection, "COPY consent_event (customer_id, channel, purpose, granted, source, changed_by,"
						+ " recorded_at) FROM STDIN", created, (text, staged, i) -> {
							for (ConsentChange consent : staged.change().consentChanges()) {
								text.append(staged.change().next().id())
									.append('\t')
									.append(consent.channel().name())
									.append('\t')
									.append(consent.purpose().name())
									.append('\t')
									.append(consent.granted() ? 't' : 'f')
									.append('\t');
								field(text, consent.source());
								text.append(audited);
							}
						});
			}
		}
		finally {
			DataSourceUtils.releaseConnection(connection, dataSource);
		}
	}

	/**
	 * Renders a row, or several (audit entries), in {@code COPY}'s text format.
	 */
	private interface Line {

		void render(StringBuilder text, Staged row, int index);

	}

	private static void copy(Connection connection, String sql, List<Staged> rows, Line line) {
		CopyIn copy = null;
		try {
			copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
			StringBuilder text = new StringBuilder(1 << 17);
			for (int i = 0; i < rows.size(); i++) {
				line.render(text, rows.get(i), i);
				if (text.length() > 1 << 16) {
					send(copy, text);
				}
			}
			send(copy, text);
			copy.endCopy();
		}
		catch (SQLException ex) {
			if (copy != null && copy.isActive()) {
				try {
					copy.cancelCopy();
				}
				catch (SQLException cancelFailure) {
					ex.addSuppressed(cancelFailure);
				}
			}
			throw Objects.requireNonNull(translator.translate("COPY", sql, ex));
		}
	}

	private static void send(CopyIn copy, StringBuilder text) throws SQLException {
		byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
		copy.writeToCopy(bytes, 0, bytes.length);
		text.setLength(0);
	}

	/**
	 * A staging table for one import: each batch is streamed into it with {@code COPY},
	 * then merged, audited and its consents recorded by a few set-based statements. The
	 * table is {@code UNLOGGED}: its rows live for one transaction and need no WAL.
	 */
	Staging staging(UUID job) {
		return new Staging(job);
	}

	/**
	 * Drops the staging table of an import that will never finish (its instance stopped).
	 */
	void dropStaging(UUID job) {
		jdbc.sql("DROP TABLE IF EXISTS " + stagingTable(job)).update();
	}

	private static String stagingTable(UUID job) {
		return "customer_import_" + job.toString().replace("-", "");
	}

	final class Staging implements AutoCloseable {

		private final UUID job;

		private final String table;

		private final List<String> copied;

		private Staging(UUID job) {
			this.job = job;
			this.table = stagingTable(job);
			this.copied = new ArrayList<>(List.of("ord", "created", "changed"));
			columns.forEach((column) -> copied.add(column.name()));
			copied.addAll(List.of("audit_fields", "audit_actions", "consent_channels", "consent_purposes",
					"consent_granted", "consent_sources"));
			jdbc.sql("CREATE UNLOGGED TABLE IF NOT EXISTS " + table + " (ord bigint, created boolean, changed boolean, "
					+ columns.stream().map((c) -> c.name() + " " + c.type()).collect(Collectors.joining(", "))
					+ ", audit_fields text[], audit_actions text[], consent_channels text[], consent_purposes text[],"
					+ " consent_granted boolean[], consent_sources text[])")
				.update();
		}

		/**
		 * Writes the changes of one batch in the caller's transaction, marking each row
		 * as last written by this import.
		 * @return the external ids of new customers that someone else created meanwhile;
		 * nothing was written for them
		 */
		Set<String> write(List<Staged> staged, String actor, Instant now) {
			if (staged.isEmpty()) {
				return Set.of();
			}
			List<CustomerChange> changes = staged.stream().map(Staged::change).toList();
			jdbc.sql("TRUNCATE " + table).update();
			copy(staged);
			long created = changes.stream().filter(CustomerChange::created).count();
			Set<String> refused = Set.of();
			if (created > 0) {
				int inserted = jdbc
					.sql("INSERT INTO customer (" + names() + ", created_at, updated_at, import_job)" + " SELECT "
							+ names() + ", ?, ?, ? FROM " + table
							+ " WHERE created ON CONFLICT (external_id) DO NOTHING")
					.params(Timestamps.utc(now), Timestamps.utc(now), job)
					.update();
				if (inserted < created) {
					String lost = " s WHERE s.created AND NOT EXISTS (SELECT 1 FROM customer c WHERE c.id = s.id)";
					refused = new HashSet<>(
							jdbc.sql("SELECT s.external_id FROM " + table + lost).query(String.class).list());
					jdbc.sql("DELETE FROM " + table + lost).update();
				}
			}
			if (created < changes.size()) {
				jdbc.sql("UPDATE customer c SET "
						+ columns.stream()
							.skip(1)
							.map((c) -> c.name() + " = s." + c.name())
							.collect(Collectors.joining(", "))
						+ ", updated_at = CASE WHEN s.changed THEN ?::timestamptz ELSE c.updated_at END,"
						+ " import_job = ? FROM " + table + " s WHERE NOT s.created AND c.id = s.id")
					.params(Timestamps.utc(now), job)
					.update();
			}
			if (changes.stream().anyMatch((change) -> !change.consentChanges().isEmpty())) {
				jdbc.sql("INSERT INTO consent_event (customer_id, channel, purpose, granted, source, changed_by,"
						+ " recorded_at) SELECT s.id, u.channel, u.purpose, u.granted, u.source, ?, ? FROM " + table
						+ " s, unnest(s.consent_channels, s.consent_purposes, s.consent_granted, s.consent_sources)"
						+ " WITH ORDINALITY AS u(channel, purpose, granted, source, n) ORDER BY s.ord, u.n")
					.params(actor, Timestamps.utc(now))
					.update();
			}
			jdbc.sql("INSERT INTO customer_audit (customer_id, field, action, changed_by, changed_at)"
					+ " SELECT s.id, a.field, a.action, ?, ? FROM " + table
					+ " s, unnest(s.audit_fields, s.audit_actions) WITH ORDINALITY AS a(field, action, n)"
					+ " ORDER BY s.ord, a.n")
				.params(actor, Timestamps.utc(now))
				.update();
			return refused;
		}

		private void copy(List<Staged> staged) {
			Connection connection = DataSourceUtils.getConnection(dataSource);
			try {
				CustomerTable.copy(connection, "COPY " + table + " (" + String.join(", ", copied) + ") FROM STDIN",
						staged, CustomerTable::line);
			}
			finally {
				DataSourceUtils.releaseConnection(connection, dataSource);
			}
		}

		@Override
		public void close() {
			jdbc.sql("DROP TABLE IF EXISTS " + table).update();
		}

	}

	// the batch's rows go in file order: ord keeps consents and audit entries in it
	private static void line(StringBuilder text, Staged staged, int ord) {
		CustomerChange change = staged.change();
		text.append(ord).append('\t').append(change.created() ? 't' : 'f').append('\t');
		text.append(change.changes() ? 't' : 'f').append('\t').append(staged.columns());
		List<CustomerChange.Audit> audit = change.audit();
		text.append('\t');
		field(text, arrayLiteral(audit.stream().map(CustomerChange.Audit::field).toList()));
		text.append('\t');
		field(text, arrayLiteral(audit.stream().map(CustomerChange.Audit::action).toList()));
		List<ConsentChange> consents = change.consentChanges();
		if (consents.isEmpty()) {
			text.append("\t\\N\t\\N\t\\N\t\\N\n");
			return;
		}
		text.append('\t');
		field(text, arrayLiteral(consents.stream().map((c) -> c.channel().name()).toList()));
		text.append('\t');
		field(text, arrayLiteral(consents.stream().map((c) -> c.purpose().name()).toList()));
		text.append('\t');
		field(text, "{" + consents.stream().map((c) -> c.granted() ? "t" : "f").collect(Collectors.joining(",")) + "}");
		text.append('\t');
		field(text, arrayLiteral(consents.stream().map(ConsentChange::source).toList()));
		text.append('\n');
	}

	// COPY's text format: backslash escapes, \N for null
	private static void field(StringBuilder text, @Nullable String value) {
		if (value == null) {
			text.append("\\N");
			return;
		}
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			switch (c) {
				case '\\' -> text.append("\\\\");
				case '\n' -> text.append("\\n");
				case '\r' -> text.append("\\r");
				case '\t' -> text.append("\\t");
				default -> text.append(c);
			}
		}
	}

	private static String arrayLiteral(List<String> values) {
		StringBuilder literal = new StringBuilder("{");
		for (String value : values) {
			if (literal.length() > 1) {
				literal.append(',');
			}
			literal.append('"').append(value.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
		}
		return literal.append('}').toString();
	}

	private String names() {
		return columns.stream().map(Column::name).collect(Collectors.joining(", "));
	}

	private String preferencesJson(Map<Purpose, List<Channel>> preferences) {
		String written = preferencesJson.get(preferences);
		if (written == null) {
			written = json.writeValueAsString(preferences);
			preferencesJson.put(Map.copyOf(preferences), written);
		}
		return written;
	}

	private static @Nullable String value(@Nullable ContactPoint contact) {
		return (contact != null) ? contact.value() : null;
	}

	private static @Nullable String state(@Nullable ContactPoint contact) {
		return (contact != null) ? contact.state().name() : null;
	}

}
