package org.ccm.admin;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The placeholders a template's text may use: the fields of its data schema (nested
 * fields with dots, fields of list items inside their section), the customer's name and
 * id, and the portal links. Written {@code {{field}}}; sections {@code {{#lines}}}…
 * {@code {{/lines}}}.
 *
 * @param fields every name a placeholder may use, in schema order
 */
public record Placeholders(List<String> fields) {

	static final List<String> CUSTOMER_FIELDS = List.of("customer.name", "customer.externalId", "links.portal",
			"links.document");

	private static final Pattern TAG = Pattern.compile("\\{\\{\\s*([#^/&]?)\\s*([^}]*?)\\s*}}");

	private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*|\\.");

	static Placeholders of(String dataSchema, JsonMapper json) {
		Set<String> fields = new LinkedHashSet<>();
		collect(json.readTree(dataSchema), "", fields, 0);
		fields.addAll(CUSTOMER_FIELDS);
		return new Placeholders(List.copyOf(fields));
	}

	private static void collect(JsonNode schema, String prefix, Set<String> fields, int depth) {
		if (depth > 8) {
			return;
		}
		JsonNode properties = schema.path("properties");
		for (String name : properties.propertyNames()) {
			JsonNode property = properties.get(name);
			fields.add(prefix + name);
			if (property.has("properties")) {
				collect(property, prefix + name + ".", fields, depth + 1);
			}
			if (property.path("items").has("properties")) {
				// inside {{#lines}}…{{/lines}} the item's fields are named directly
				collect(property.get("items"), "", fields, depth + 1);
			}
		}
	}

	/**
	 * What is wrong with the placeholders of a text, in plain words; empty when they are
	 * all known.
	 */
	List<String> problems(String text) {
		List<String> problems = new ArrayList<>();
		Matcher matcher = TAG.matcher(text);
		while (matcher.find()) {
			String sigil = matcher.group(1);
			String name = matcher.group(2);
			if (name.startsWith("!")) {
				continue;
			}
			if (!NAME.matcher(name).matches()) {
				problems.add("“" + matcher.group() + "” is not a placeholder: use letters, digits, dots and _ only");
			}
			else if (!name.equals(".") && !this.fields.contains(name) && !sigil.equals("/")) {
				problems.add("“" + matcher.group() + "” is not a field of this template: choose one from the list");
			}
		}
		int opened = count(text, "{{");
		if (opened != count(text, "}}")) {
			problems.add("a placeholder is not closed: write it as {{field}}");
		}
		return problems;
	}

	private static int count(String text, String token) {
		int count = 0;
		for (int i = text.indexOf(token); i >= 0; i = text.indexOf(token, i + token.length())) {
			count++;
		}
		return count;
	}

}
