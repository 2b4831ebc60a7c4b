package org.ccm.core;

import java.time.DateTimeException;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.IllformedLocaleException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import org.apache.commons.csv.CSVRecord;
import org.ccm.core.FieldsGiven.Field;
import org.jspecify.annotations.Nullable;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One row of an import file, read into customer details. Only the fields the row carries
 * are changed on an existing customer; {@code problems} lists what could not be read.
 *
 * @param number the row's position among the file's data rows, from 1
 * @param raw the row as it was in the file, to hand back when it is rejected (formatted
 * only then)
 * @param given the fields the row speaks about: only these change on an existing
 * customer, and an attribute left empty is removed
 */
record ImportRow(long number, Supplier<String> raw, @Nullable String externalId, CustomerDetails details,
		FieldsGiven given, Map<String, String> problems) {

	private static final FieldsGiven NOTHING = new FieldsGiven(Set.of(), Set.of());

	static final String IMPORT_SOURCE = "import";

	/**
	 * How the columns of a CSV header map to customer fields.
	 */
	record CsvLayout(Map<String, Integer> columns, Set<Field> present, Map<String, Integer> attributes,
			Map<String, AttributeType> attributeTypes, Map<Purpose, Integer> preferences,
			Map<String, Integer> consents) {

		/**
		 * @throws IllegalArgumentException naming the first column that is not understood
		 */
		static CsvLayout of(List<String> header, CustomerAttributes declared) {
			Map<String, Integer> columns = new LinkedHashMap<>();
			Set<Field> present = EnumSet.noneOf(Field.class);
			Map<String, Integer> attributes = new LinkedHashMap<>();
			// a declared type never changes: read once, not once per row
			Map<String, AttributeType> attributeTypes = new LinkedHashMap<>();
			Map<Purpose, Integer> preferences = new EnumMap<>(Purpose.class);
			Map<String, Integer> consents = new LinkedHashMap<>();
			for (int i = 0; i < header.size(); i++) {
				String column = header.get(i).strip();
				switch (column) {
					case "externalId", "name" -> columns.put(column, i);
					case "locale" -> put(columns, present, column, i, Field.LOCALE);
					case "timeZone" -> put(columns, present, column, i, Field.TIME_ZONE);
					case "email" -> put(columns, present, column, i, Field.EMAIL);
					case "phone" -> put(columns, present, column, i, Field.PHONE);
					case "addressLine1", "addressLine2", "addressLine3", "addressLine4", "postcode", "city",
							"country" ->
						put(columns, present, column, i, Field.ADDRESS);
					case "quietHours" -> put(columns, present, column, i, Field.QUIET_HOURS);
					default -> {
						if (column.startsWith("attr.")) {
							String name = column.substring(5);
							AttributeDefinition definition = declared.find(name)
								.orElseThrow(() -> new IllegalArgumentException(
										"column '" + column + "': '" + name + "' is not a declared attribute"));
							attributes.put(name, i);
							attributeTypes.put(name, definition.type());
						}
						else if (column.startsWith("preferences.")) {
							try {
								preferences.put(Purpose.valueOf(column.substring(12)), i);
								present.add(Field.PREFERENCES);
							}
							catch (IllegalArgumentException ex) {
								throw new IllegalArgumentException(
										"column '" + column + "': the purpose must be TRANSACTIONAL or MARKETING");
							}
						}
						else if (column.startsWith("consent.")) {
							String[] parts = column.split("\\.");
							try {
								if (parts.length != 3) {
									throw new IllegalArgumentException(column);
								}
								Channel.valueOf(parts[1]);
								Purpose.valueOf(parts[2]);
							}
							catch (IllegalArgumentException ex) {
								throw new IllegalArgumentException(
										"column '" + column + "': must be consent.<CHANNEL>.<PURPOSE>");
							}
							consents.put(parts[1] + "." + parts[2], i);
						}
						else {
							throw new IllegalArgumentException("column '" + column + "' is not known");
						}
					}
				}
			}
			if (!columns.containsKey("externalId")) {
				throw new IllegalArgumentException("the header has no 'externalId' column");
			}
			return new CsvLayout(columns, present, attributes, attributeTypes, preferences, consents);
		}

		private static void put(Map<String, Integer> columns, Set<Field> present, String column, int index,
				Field field) {
			columns.put(column, index);
			present.add(field);
		}

	}

	static ImportRow csv(long number, Supplier<String> raw, CSVRecord record, int headerSize, CsvLayout layout) {
		Map<String, String> problems = new LinkedHashMap<>();
		if (record.size() != headerSize) {
			problems.put("row", "has " + record.size() + " columns, the header has " + headerSize);
			return new ImportRow(number, raw, null, empty(), NOTHING, problems);
		}
		String externalId = cell(record, layout.columns().get("externalId"));
		Locale locale = locale(cell(record, layout.columns().get("locale")), problems);
		ZoneId zone = zone(cell(record, layout.columns().get("timeZone")), problems);
		PostalAddress address = null;
		if (layout.present().contains(Field.ADDRESS)) {
			List<String> lines = new ArrayList<>();
			for (int line = 1; line <= 4; line++) {
				String value = cell(record, layout.columns().get("addressLine" + line));
				if (value != null) {
					lines.add(value);
				}
			}
			String postcode = cell(record, layout.columns().get("postcode"));
			String city = cell(record, layout.columns().get("city"));
			String country = cell(record, layout.columns().get("country"));
			if (!lines.isEmpty() || postcode != null || city != null || country != null) {
				address = new PostalAddress(lines, (postcode != null) ? postcode : "", (city != null) ? city : "",
						(country != null) ? country : "", ContactState.UNVERIFIED);
			}
		}
		Map<String, Object> attributes = new LinkedHashMap<>();
		layout.attributes().forEach((name, index) -> {
			String text = cell(record, index);
			if (text != null) {
				AttributeType type = layout.attributeTypes().get(name);
				Object value = type.read(text);
				if (value == null) {
					problems.put("attributes." + name, "must be of type " + type);
				}
				else {
					attributes.put(name, value);
				}
			}
		});
		Map<Purpose, List<Channel>> preferences = new EnumMap<>(Purpose.class);
		layout.preferences().forEach((purpose, index) -> {
			String text = cell(record, index);
			if (text != null) {
				List<Channel> channels = channels(text.split("\\|"), "preferences." + purpose, problems);
				if (channels != null) {
					preferences.put(purpose, channels);
				}
			}
		});
		QuietHours quietHours = quietHours(cell(record, layout.columns().get("quietHours")), problems);
		List<ConsentChange> consents = new ArrayList<>();
		layout.consents().forEach((key, index) -> {
			String text = cell(record, index);
			if (text != null) {
				String[] parts = key.split("\\.");
				if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
					problems.put("consent." + key, "must be true or false");
				}
				else {
					consents.add(new ConsentChange(Channel.valueOf(parts[0]), Purpose.valueOf(parts[1]),
							Boolean.parseBoolean(text.toLowerCase(Locale.ROOT)), IMPORT_SOURCE));
				}
			}
		});
		String name = cell(record, layout.columns().get("name"));
		CustomerDetails details = new CustomerDetails((name != null) ? name : "", locale, zone,
				cell(record, layout.columns().get("email")), cell(record, layout.columns().get("phone")), address,
				attributes, preferences, quietHours, consents);
		return new ImportRow(number, raw, externalId, details,
				new FieldsGiven(layout.present(), layout.attributes().keySet()), problems);
	}

	static ImportRow jsonLine(long number, String line, JsonMapper json) {
		Map<String, String> problems = new LinkedHashMap<>();
		JsonNode node;
		try {
			node = json.readTree(line);
		}
		catch (JacksonException ex) {
			problems.put("row", "is not valid JSON: " + ex.getOriginalMessage());
			return new ImportRow(number, () -> line, null, empty(), NOTHING, problems);
		}
		if (node == null || !node.isObject()) {
			problems.put("row", "is not a JSON object");
			return new ImportRow(number, () -> line, null, empty(), NOTHING, problems);
		}
		Set<Field> present = EnumSet.noneOf(Field.class);
		String externalId = text(node, "externalId", problems);
		String name = text(node, "name", problems);
		Locale locale = null;
		if (node.has("locale")) {
			present.add(Field.LOCALE);
			locale = locale(text(node, "locale", problems), problems);
		}
		ZoneId zone = null;
		if (node.has("timeZone")) {
			present.add(Field.TIME_ZONE);
			zone = zone(text(node, "timeZone", problems), problems);
		}
		if (node.has("email")) {
			present.add(Field.EMAIL);
		}
		if (node.has("phone")) {
			present.add(Field.PHONE);
		}
		PostalAddress address = null;
		if (node.has("postalAddress")) {
			present.add(Field.ADDRESS);
			JsonNode a = node.get("postalAddress");
			if (a != null && a.isObject()) {
				List<String> lines = new ArrayList<>();
				if (a.get("lines") != null && a.get("lines").isArray()) {
					a.get("lines").forEach((l) -> lines.add(l.asString()));
				}
				address = new PostalAddress(lines, orEmpty(text(a, "postcode", problems)),
						orEmpty(text(a, "city", problems)), orEmpty(text(a, "country", problems)),
						ContactState.UNVERIFIED);
			}
			else if (a != null && !a.isNull()) {
				problems.put("postalAddress", "must be an object");
			}
		}
		Map<String, Object> attributes = new LinkedHashMap<>();
		Set<String> attributeColumns = Set.of();
		JsonNode attributesNode = node.get("attributes");
		if (attributesNode != null && attributesNode.isObject()) {
			Map<String, Object> values = json.treeToValue(attributesNode, Map.class);
			values.forEach((key, value) -> {
				if (value != null) {
					attributes.put(key, value);
				}
			});
			attributeColumns = Set.copyOf(values.keySet());
		}
		Map<Purpose, List<Channel>> preferences = new EnumMap<>(Purpose.class);
		JsonNode preferencesNode = node.get("preferences");
		if (preferencesNode != null && preferencesNode.isObject()) {
			present.add(Field.PREFERENCES);
			for (var entry : preferencesNode.properties()) {
				Purpose purpose;
				try {
					purpose = Purpose.valueOf(entry.getKey());
				}
				catch (IllegalArgumentException ex) {
					problems.put("preferences." + entry.getKey(), "is not a purpose (TRANSACTIONAL, MARKETING)");
					continue;
				}
				List<String> names = new ArrayList<>();
				entry.getValue().forEach((c) -> names.add(c.asString()));
				List<Channel> channels = channels(names.toArray(String[]::new), "preferences." + purpose, problems);
				if (channels != null) {
					preferences.put(purpose, channels);
				}
			}
		}
		QuietHours quietHours = null;
		JsonNode quietNode = node.get("quietHours");
		if (node.has("quietHours")) {
			present.add(Field.QUIET_HOURS);
			if (quietNode != null && quietNode.isObject()) {
				quietHours = quietHours(text(quietNode, "start", problems) + "-" + text(quietNode, "end", problems),
						problems);
			}
		}
		List<ConsentChange> consents = new ArrayList<>();
		JsonNode consentsNode = node.get("consents");
		if (consentsNode != null && consentsNode.isArray()) {
			int i = 0;
			for (JsonNode consent : consentsNode) {
				try {
					consents.add(new ConsentChange(Channel.valueOf(consent.path("channel").asString()),
							Purpose.valueOf(consent.path("purpose").asString()), consent.path("granted").asBoolean(),
							consent.has("source") ? consent.path("source").asString() : IMPORT_SOURCE));
				}
				catch (RuntimeException ex) {
					problems.put("consents[" + i + "]", "needs a channel, a purpose and granted");
				}
				i++;
			}
		}
		CustomerDetails details = new CustomerDetails((name != null) ? name : "", locale, zone,
				text(node, "email", problems), text(node, "phone", problems), address, attributes, preferences,
				quietHours, consents);
		return new ImportRow(number, () -> line, externalId, details, new FieldsGiven(present, attributeColumns),
				problems);
	}

	private static CustomerDetails empty() {
		return new CustomerDetails("", null, null, null, null, null, Map.of(), Map.of(), null, List.of());
	}

	private static @Nullable String cell(CSVRecord record, @Nullable Integer index) {
		if (index == null) {
			return null;
		}
		String value = record.get(index).strip();
		return value.isEmpty() ? null : value;
	}

	private static @Nullable String text(JsonNode node, String field, Map<String, String> problems) {
		JsonNode value = node.get(field);
		if (value == null || value.isNull()) {
			return null;
		}
		if (!value.isString()) {
			problems.put(field, "must be a string");
			return null;
		}
		String text = value.asString().strip();
		return text.isEmpty() ? null : text;
	}

	private static String orEmpty(@Nullable String value) {
		return (value != null) ? value : "";
	}

	private static @Nullable Locale locale(@Nullable String value, Map<String, String> problems) {
		if (value == null) {
			return null;
		}
		try {
			return new Locale.Builder().setLanguageTag(value).build();
		}
		catch (IllformedLocaleException ex) {
			problems.put("locale", "must be a BCP 47 language tag such as en-GB");
			return null;
		}
	}

	private static @Nullable ZoneId zone(@Nullable String value, Map<String, String> problems) {
		if (value == null) {
			return null;
		}
		try {
			return ZoneId.of(value);
		}
		catch (DateTimeException ex) {
			problems.put("timeZone", "must be an IANA time zone such as Europe/London");
			return null;
		}
	}

	private static @Nullable List<Channel> channels(String[] names, String field, Map<String, String> problems) {
		List<Channel> channels = new ArrayList<>();
		for (String name : names) {
			try {
				channels.add(Channel.valueOf(name.strip().toUpperCase(Locale.ROOT)));
			}
			catch (IllegalArgumentException ex) {
				problems.put(field, "'" + name.strip() + "' is not a channel (EMAIL, SMS, PRINT, PORTAL)");
				return null;
			}
		}
		return channels;
	}

	private static @Nullable QuietHours quietHours(@Nullable String value, Map<String, String> problems) {
		if (value == null) {
			return null;
		}
		String[] parts = value.split("-");
		try {
			if (parts.length != 2) {
				throw new DateTimeException(value);
			}
			return new QuietHours(LocalTime.parse(parts[0].strip()), LocalTime.parse(parts[1].strip()));
		}
		catch (DateTimeException ex) {
			problems.put("quietHours", "must be two times such as 21:00-08:00");
			return null;
		}
	}

}
