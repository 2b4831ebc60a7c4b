package org.ccm.templates;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.ccm.core.Channel;
import org.ccm.core.Purpose;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Templates, versions and their transitions in PostgreSQL.
 */
@Repository
class TemplateStore {

	private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
	};

	private static final String VERSION_COLUMNS = "template_key, version, state, author, content::text, "
			+ "data_schema::text, sample_data::text, created_at, updated_at";

	private final JdbcClient jdbc;

	private final JsonMapper json;

	TemplateStore(JdbcClient jdbc, JsonMapper json) {
		this.jdbc = jdbc;
		this.json = json;
	}

	Optional<TemplateDefinition> definition(String key) {
		return this.jdbc
			.sql("SELECT key, name, purpose, channels, layout, required_clauses, created_by, created_at "
					+ "FROM template WHERE key = ?")
			.param(key)
			.query(this::mapDefinition)
			.optional();
	}

	List<TemplateDefinition> definitions() {
		return this.jdbc
			.sql("SELECT key, name, purpose, channels, layout, required_clauses, created_by, created_at "
					+ "FROM template ORDER BY key")
			.query(this::mapDefinition)
			.list();
	}

	Optional<TemplateVersion> published(String key) {
		return this.jdbc
			.sql("SELECT " + VERSION_COLUMNS + " FROM template_version WHERE template_key = ? AND state = 'PUBLISHED'")
			.param(key)
			.query(this::mapVersion)
			.optional();
	}

	Optional<TemplateVersion> version(String key, int version) {
		return this.jdbc
			.sql("SELECT " + VERSION_COLUMNS + " FROM template_version WHERE template_key = ? AND version = ?")
			.params(key, version)
			.query(this::mapVersion)
			.optional();
	}

	List<TemplateVersion> versions(String key) {
		return this.jdbc
			.sql("SELECT " + VERSION_COLUMNS + " FROM template_version WHERE template_key = ? ORDER BY version")
			.param(key)
			.query(this::mapVersion)
			.list();
	}

	void insertDefinition(TemplateDefinition definition) {
		this.jdbc.sql("""
				INSERT INTO template (key, name, purpose, channels, layout, required_clauses, created_by, created_at)
				VALUES (?, ?, ?, ?::text[], ?, ?::text[], ?, ?)""")
			.params(definition.key(), definition.name(), definition.purpose().name(),
					definition.channels().stream().map(Channel::name).sorted().toArray(String[]::new),
					definition.layout(), definition.requiredClauses().toArray(String[]::new), definition.createdBy(),
					timestamp(definition.createdAt()))
			.update();
	}

	/**
	 * Inserts the next version of a template as a draft; the template row is locked so
	 * two authors never get the same number.
	 */
	int insertDraft(String key, String author, TemplateContent content, String dataSchema,
			Map<String, Object> sampleData, Instant now) {
		this.jdbc.sql("SELECT key FROM template WHERE key = ? FOR UPDATE").param(key).query(String.class).single();
		int next = this.jdbc.sql("SELECT coalesce(max(version), 0) + 1 FROM template_version WHERE template_key = ?")
			.param(key)
			.query(Integer.class)
			.single();
		this.jdbc.sql("""
				INSERT INTO template_version (template_key, version, state, author, content, data_schema, sample_data,
				                              created_at, updated_at)
				VALUES (?, ?, 'DRAFT', ?, ?::jsonb, ?::jsonb, ?::jsonb, ?, ?)""")
			.params(key, next, author, this.json.writeValueAsString(content), dataSchema,
					this.json.writeValueAsString(sampleData), timestamp(now), timestamp(now))
			.update();
		return next;
	}

	boolean updateDraft(String key, int version, TemplateContent content, String dataSchema,
			Map<String, Object> sampleData, Instant now) {
		return this.jdbc.sql("""
				UPDATE template_version SET content = ?::jsonb, data_schema = ?::jsonb, sample_data = ?::jsonb,
				  updated_at = ?
				WHERE template_key = ? AND version = ? AND state = 'DRAFT'""")
			.params(this.json.writeValueAsString(content), dataSchema, this.json.writeValueAsString(sampleData),
					timestamp(now), key, version)
			.update() == 1;
	}

	/**
	 * Moves a version from one state to another and records who did it; false when the
	 * version was not in the expected state any more.
	 */
	boolean transition(String key, int version, VersionState from, VersionState to, String actor, String comment,
			Instant now) {
		int changed = this.jdbc
			.sql("UPDATE template_version SET state = ?, updated_at = ? WHERE template_key = ? AND version = ? "
					+ "AND state = ?")
			.params(to.name(), timestamp(now), key, version, from.name())
			.update();
		if (changed == 0) {
			return false;
		}
		recordTransition(key, version, from, to, actor, comment, now);
		return true;
	}

	void recordTransition(String key, int version, VersionState from, VersionState to, String actor, String comment,
			Instant now) {
		this.jdbc
			.sql("""
					INSERT INTO template_transition (template_key, version, from_state, to_state, actor, comment, occurred_at)
					VALUES (?, ?, ?, ?, ?, ?, ?)""")
			.params(key, version, (from != null) ? from.name() : null, to.name(), actor, comment, timestamp(now))
			.update();
	}

	void lockTemplate(String key) {
		this.jdbc.sql("SELECT key FROM template WHERE key = ? FOR UPDATE").param(key).query(String.class).single();
	}

	List<VersionTransition> transitions(String key, int version) {
		return this.jdbc.sql("""
				SELECT from_state, to_state, actor, comment, occurred_at FROM template_transition
				WHERE template_key = ? AND version = ? ORDER BY occurred_at, id""")
			.params(key, version)
			.query((rs, n) -> new VersionTransition(
					(rs.getString(1) != null) ? VersionState.valueOf(rs.getString(1)) : null,
					VersionState.valueOf(rs.getString(2)), rs.getString(3), rs.getString(4), instant(rs, 5)))
			.list();
	}

	private TemplateDefinition mapDefinition(ResultSet rs, int row) throws SQLException {
		Set<Channel> channels = EnumSet.noneOf(Channel.class);
		for (String channel : strings(rs.getArray(4))) {
			channels.add(Channel.valueOf(channel));
		}
		return new TemplateDefinition(rs.getString(1), rs.getString(2), Purpose.valueOf(rs.getString(3)), channels,
				rs.getString(5), strings(rs.getArray(6)), rs.getString(7), instant(rs, 8));
	}

	private TemplateVersion mapVersion(ResultSet rs, int row) throws SQLException {
		return new TemplateVersion(rs.getString(1), rs.getInt(2), VersionState.valueOf(rs.getString(3)),
				rs.getString(4), this.json.readValue(rs.getString(5), TemplateContent.class), rs.getString(6),
				this.json.readValue(rs.getString(7), MAP), instant(rs, 8), instant(rs, 9));
	}

	private static List<String> strings(Array array) throws SQLException {
		List<String> values = new ArrayList<>();
		if (array != null) {
			for (Object value : (Object[]) array.getArray()) {
				values.add((String) value);
			}
		}
		return values;
	}

	static Instant instant(ResultSet rs, int column) throws SQLException {
		return rs.getObject(column, OffsetDateTime.class).toInstant();
	}

	static OffsetDateTime timestamp(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

}
