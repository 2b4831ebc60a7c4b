package org.ccm.templates;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.NonValidationKeyword;
import com.networknt.schema.path.NodePath;
import com.networknt.schema.path.PathType;
import org.springframework.stereotype.Component;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checks a send's data against a template version's JSON Schema (draft 2020-12, formats
 * asserted), naming each problem by its JSON pointer.
 */
@Component
class DataSchemas {

	private static final int MAX_CACHED = 1_000;

	// x-ccm-format (money) tells composition how to write a number; validation ignores it
	private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(
			Dialect.builder(Dialects.getDraft202012()).keyword(new NonValidationKeyword("x-ccm-format")).build(),
			(builder) -> builder.schemaRegistryConfig(SchemaRegistryConfig.builder()
				.formatAssertionsEnabled(true)
				.pathType(PathType.JSON_POINTER)
				.locale(Locale.ENGLISH)
				.build()));

	// keyed by the schema text: versions are immutable once submitted, drafts change
	// their text
	private final Map<String, Schema> compiled = new ConcurrentHashMap<>();

	private final JsonMapper json;

	DataSchemas(JsonMapper json) {
		this.json = json;
	}

	List<DataViolation> violations(String schemaText, Map<String, Object> data) {
		JsonNode node = this.json.valueToTree(data);
		List<Error> errors = schema(schemaText).validate(node,
				(context) -> context.executionConfig((config) -> config.formatAssertionsEnabled(true)));
		List<DataViolation> violations = new ArrayList<>();
		for (Error error : errors) {
			violations.add(violation(error));
		}
		return violations;
	}

	/**
	 * Whether the text is a schema that can be used; the problem otherwise.
	 */
	List<DataViolation> schemaProblems(String schemaText) {
		try {
			JsonNode node = this.json.readTree(schemaText);
			if (!node.isObject()) {
				return List.of(new DataViolation("dataSchema", "must be a JSON object"));
			}
			this.registry.getSchema(schemaText, InputFormat.JSON);
			return List.of();
		}
		catch (RuntimeException ex) {
			return List.of(new DataViolation("dataSchema", "is not a usable JSON Schema: " + ex.getMessage()));
		}
	}

	private Schema schema(String schemaText) {
		Schema schema = this.compiled.get(schemaText);
		if (schema == null) {
			if (this.compiled.size() > MAX_CACHED) {
				this.compiled.clear();
			}
			schema = this.compiled.computeIfAbsent(schemaText,
					(text) -> this.registry.getSchema(text, InputFormat.JSON));
		}
		return schema;
	}

	private static DataViolation violation(Error error) {
		StringBuilder pointer = new StringBuilder(pointer(error.getInstanceLocation()));
		String message = error.getMessage();
		if ("required".equals(error.getKeyword()) && error.getProperty() != null) {
			pointer.append('/').append(escape(error.getProperty()));
			message = "is required";
		}
		else if (message != null) {
			// the library prefixes its messages with the location, which the field
			// already names
			int colon = message.indexOf(": ");
			if (colon >= 0 && message.startsWith("/")) {
				message = message.substring(colon + 2);
			}
			else if (message.startsWith(": ")) {
				message = message.substring(2);
			}
		}
		return new DataViolation(pointer.isEmpty() ? "/" : pointer.toString(),
				(message != null) ? message : "is invalid");
	}

	private static String pointer(NodePath path) {
		StringBuilder pointer = new StringBuilder();
		for (int i = 0; i < path.getNameCount(); i++) {
			Object element = path.getElement(i);
			pointer.append('/').append((element instanceof Number) ? element.toString() : escape(element.toString()));
		}
		return pointer.toString();
	}

	private static String escape(String name) {
		return name.replace("~", "~0").replace("/", "~1");
	}

}
