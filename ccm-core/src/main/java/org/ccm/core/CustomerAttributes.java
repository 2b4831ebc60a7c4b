package org.ccm.core;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The declared customer attributes. Upserts, imports and segment rules accept only these,
 * so a typo in an attribute name is an error instead of a silently empty segment.
 */
@Service
class CustomerAttributes {

	private final JdbcClient jdbc;

	// read on every upsert and import row; definitions change rarely, so keep them in
	// memory
	private volatile Map<String, AttributeDefinition> definitions = Map.of();

	private volatile boolean loaded;

	CustomerAttributes(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	public Collection<AttributeDefinition> all() {
		return current().values();
	}

	public Optional<AttributeDefinition> find(String name) {
		return Optional.ofNullable(current().get(name));
	}

	/**
	 * Declares an attribute or changes its description and PII flag. Its type may not
	 * change once declared, because stored values and segment rules rely on it.
	 * @throws InvalidCustomerException when the name is not a lower-case identifier or
	 * the type differs from the declared one
	 */
	@Transactional
	public AttributeDefinition define(AttributeDefinition definition) {
		if (!definition.name().matches("[a-z][a-z0-9_]{0,62}")) {
			throw new InvalidCustomerException(
					Map.of("name", "must be a lower-case identifier (a-z, 0-9, _) of at most 63 characters"));
		}
		AttributeDefinition existing = find(definition.name()).orElse(null);
		if (existing != null && existing.type() != definition.type()) {
			throw new InvalidCustomerException(Map.of("type", "is " + existing.type() + " already and cannot change"));
		}
		jdbc.sql("""
				INSERT INTO attribute_definition (name, type, pii, description) VALUES (?, ?, ?, ?)
				ON CONFLICT (name) DO UPDATE SET pii = excluded.pii, description = excluded.description
				""")
			.params(definition.name(), definition.type().name(), definition.pii(), definition.description())
			.update();
		reload();
		return definition;
	}

	/**
	 * Problems of an attribute map, keyed by {@code attributes.<name>}; empty when all
	 * are declared and of the right type.
	 */
	Map<String, String> problems(Map<String, ?> attributes) {
		Map<String, String> problems = new LinkedHashMap<>();
		Map<String, AttributeDefinition> known = current();
		if (!known.keySet().containsAll(attributes.keySet())) {
			// another replica may have declared it since we last read
			reload();
			known = definitions;
		}
		Map<String, AttributeDefinition> declared = known;
		attributes.forEach((name, value) -> {
			AttributeDefinition definition = declared.get(name);
			if (definition == null) {
				problems.put("attributes." + name, "is not a declared attribute");
			}
			else if (value != null && !definition.type().accepts(value)) {
				problems.put("attributes." + name, "must be of type " + definition.type()
						+ ((definition.type() == AttributeType.DATE) ? " (ISO-8601, e.g. 2024-05-31)" : ""));
			}
		});
		return problems;
	}

	/**
	 * Filter values given as text (query parameters, CSV cells) read in their attributes'
	 * types.
	 * @throws InvalidCustomerException when an attribute is not declared or a value
	 * cannot be read
	 */
	Map<String, Object> typedValues(Map<String, String> values) {
		Map<String, String> problems = new LinkedHashMap<>();
		Map<String, Object> typed = new LinkedHashMap<>();
		values.forEach((name, text) -> {
			AttributeDefinition definition = find(name).orElse(null);
			if (definition == null) {
				problems.put("attributes." + name, "is not a declared attribute");
				return;
			}
			Object value = definition.type().read(text);
			if (value == null) {
				problems.put("attributes." + name, "must be of type " + definition.type());
			}
			else {
				typed.put(name, value);
			}
		});
		if (!problems.isEmpty()) {
			throw new InvalidCustomerException(problems);
		}
		return typed;
	}

	private Map<String, AttributeDefinition> current() {
		if (!loaded) {
			reload();
		}
		return definitions;
	}

	private synchronized void reload() {
		Map<String, AttributeDefinition> read = new LinkedHashMap<>();
		jdbc.sql("SELECT name, type, pii, description FROM attribute_definition ORDER BY name")
			.query((rs, n) -> new AttributeDefinition(rs.getString(1), AttributeType.valueOf(rs.getString(2)),
					rs.getBoolean(3), rs.getString(4)))
			.list()
			.forEach((definition) -> read.put(definition.name(), definition));
		definitions = Map.copyOf(read);
		loaded = true;
	}

}
