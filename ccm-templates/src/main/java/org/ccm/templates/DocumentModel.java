package org.ccm.templates;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import tools.jackson.databind.JsonNode;

/**
 * Turns a send's data into what templates may see: only maps, lists, strings, numbers and
 * booleans, so no template can reach a Java object.
 */
final class DocumentModel {

	private static final int MAX_DEPTH = 32;

	private DocumentModel() {
	}

	/**
	 * A deep copy made only of maps, lists, strings, numbers and booleans; anything else
	 * becomes its text.
	 */
	static @Nullable Object plain(@Nullable Object value) {
		return plain(value, 0);
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> plainMap(Map<String, ?> value) {
		Object copy = plain(value);
		return (copy instanceof Map<?, ?> map) ? (Map<String, Object>) map : Map.of();
	}

	private static @Nullable Object plain(@Nullable Object value, int depth) {
		if (depth > MAX_DEPTH) {
			throw new IllegalArgumentException("data is nested more than " + MAX_DEPTH + " levels deep");
		}
		if (value == null || value instanceof String || value instanceof Boolean || value instanceof Integer
				|| value instanceof Long || value instanceof Double || value instanceof BigDecimal
				|| value instanceof BigInteger || value instanceof Float || value instanceof Short) {
			return value;
		}
		if (value instanceof Map<?, ?> map) {
			Map<String, Object> copy = new LinkedHashMap<>();
			map.forEach((k, v) -> copy.put(String.valueOf(k), plain(v, depth + 1)));
			return copy;
		}
		if (value instanceof Iterable<?> iterable) {
			List<Object> copy = new ArrayList<>();
			iterable.forEach((v) -> copy.add(plain(v, depth + 1)));
			return copy;
		}
		if (value instanceof Object[] array) {
			return plain(List.of(array), depth);
		}
		return value.toString();
	}

	/**
	 * The plain data with dates ({@code "format": "date"}), money
	 * ({@code "x-ccm-format": "money"}) and other numbers written for the customer's
	 * locale, as the schema describes them.
	 */
	static @Nullable Object formatted(@Nullable Object value, @Nullable JsonNode schema, Formats formats) {
		if (value instanceof Map<?, ?> map) {
			Map<String, Object> copy = new LinkedHashMap<>();
			JsonNode properties = (schema != null) ? schema.path("properties") : null;
			map.forEach((k, v) -> copy.put(String.valueOf(k),
					formatted(v, (properties != null && properties.has(String.valueOf(k)))
							? properties.get(String.valueOf(k)) : null, formats)));
			return copy;
		}
		if (value instanceof List<?> list) {
			List<Object> copy = new ArrayList<>();
			JsonNode items = (schema != null && schema.has("items")) ? schema.get("items") : null;
			list.forEach((v) -> copy.add(formatted(v, items, formats)));
			return copy;
		}
		String format = (schema != null) ? schema.path("x-ccm-format").asString("") : "";
		if (value instanceof Number number) {
			return "money".equals(format) ? formats.money(number) : formats.number(number);
		}
		if (value instanceof String text && schema != null && "date".equals(schema.path("format").asString(""))) {
			return formats.date(text);
		}
		return value;
	}

}
