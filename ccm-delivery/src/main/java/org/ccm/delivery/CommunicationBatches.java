package org.ccm.delivery;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.ccm.core.UnknownCustomerException;
import org.ccm.core.problems.FieldProblem;
import org.ccm.templates.InvalidTemplateDataException;
import org.ccm.templates.UnknownTemplateException;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Many sends in one call, each accepted on its own exactly as a single send is (its own
 * idempotency key, its own transaction), so a bad item never stops the good ones. Items
 * are read and answered one at a time, streaming both ways: memory does not grow with the
 * batch. The answer lists one result per item in input order, with its {@code index}:
 * {@code status} 202 with the communication's id, or a problem detail naming the fields.
 */
@Component
class CommunicationBatches {

	/** The most items one call may hold. */
	static final int MAX_ITEMS = 10_000;

	static final String IDEMPOTENCY_KEY = "idempotencyKey";

	private static final Log logger = LogFactory.getLog(CommunicationBatches.class);

	private static final String VALIDATION = "urn:ccm:problem:validation";

	private final Communications communications;

	private final JsonMapper json;

	private final Validator validator;

	CommunicationBatches(Communications communications, JsonMapper json, Validator validator) {
		this.communications = communications;
		this.json = json;
		this.validator = validator;
	}

	/**
	 * Reads a JSON array of items and writes a JSON array of results.
	 */
	void acceptArray(InputStream in, OutputStream out, String client, @Nullable UUID apiKeyId) throws IOException {
		try (JsonGenerator results = this.json.createGenerator(out)) {
			results.writeStartArray();
			int index = 0;
			try (JsonParser items = this.json.createParser(in)) {
				if (items.nextToken() != JsonToken.START_ARRAY) {
					write(results, problem(0, HttpStatus.BAD_REQUEST, "The batch must be a JSON array of sends",
							List.of(new FieldProblem("body", "must be a JSON array"))));
				}
				else {
					while (items.nextToken() != JsonToken.END_ARRAY) {
						if (index == MAX_ITEMS) {
							write(results, tooMany(index));
							break;
						}
						write(results, accept(index++, items.readValueAsTree(), client, apiKeyId));
						flushSometimes(results, index);
					}
				}
			}
			catch (JacksonException ex) {
				// malformed JSON: nothing after this point can be read
				write(results, problem(index, HttpStatus.BAD_REQUEST, "The batch is not valid JSON from here on",
						List.of(new FieldProblem("body", ex.getOriginalMessage()))));
			}
			results.writeEndArray();
		}
	}

	/**
	 * Reads JSON lines, one item per line, and writes one result per line. A malformed
	 * line is answered with a problem and the next line is read.
	 */
	void acceptLines(InputStream in, OutputStream out, String client, @Nullable UUID apiKeyId) throws IOException {
		BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
		int index = 0;
		String line;
		while ((line = lines.readLine()) != null) {
			if (line.isBlank()) {
				continue;
			}
			if (index == MAX_ITEMS) {
				writeLine(out, tooMany(index));
				break;
			}
			Object result;
			try {
				result = accept(index, this.json.readTree(line), client, apiKeyId);
			}
			catch (JacksonException ex) {
				result = problem(index, HttpStatus.BAD_REQUEST, "The item is not valid JSON",
						List.of(new FieldProblem("body", ex.getOriginalMessage())));
			}
			writeLine(out, result);
			index++;
			if (index % 100 == 0) {
				out.flush();
			}
		}
		out.flush();
	}

	private Object accept(int index, @Nullable JsonNode item, String client, @Nullable UUID apiKeyId) {
		if (!(item instanceof ObjectNode fields)) {
			return problem(index, HttpStatus.BAD_REQUEST, "The item must be a JSON object",
					List.of(new FieldProblem("body", "must be a JSON object")));
		}
		JsonNode key = fields.remove(IDEMPOTENCY_KEY);
		List<FieldProblem> problems = new ArrayList<>();
		if (key == null || !key.isString() || key.asString().isBlank() || key.asString().length() > 255) {
			problems.add(new FieldProblem(IDEMPOTENCY_KEY, "must be a string of 1 to 255 characters"));
		}
		SendRequest request = null;
		try {
			request = this.json.treeToValue(fields, SendRequest.class);
		}
		catch (DatabindException ex) {
			problems.add(new FieldProblem(path(ex), ex.getOriginalMessage()));
		}
		if (request != null) {
			Set<ConstraintViolation<SendRequest>> violations = this.validator.validate(request);
			violations.stream()
				.sorted(Comparator.comparing((violation) -> violation.getPropertyPath().toString()))
				.forEach((violation) -> problems
					.add(new FieldProblem(violation.getPropertyPath().toString(), violation.getMessage())));
		}
		if (!problems.isEmpty() || request == null) {
			return problem(index, HttpStatus.BAD_REQUEST, "The item has invalid fields", problems);
		}
		try {
			Acceptance acceptance = this.communications.accept(request, key.asString(), client, null, apiKeyId);
			return new Accepted(index, HttpStatus.ACCEPTED.value(), acceptance.communicationId().toString(),
					acceptance.acceptedAt().toString(), acceptance.replayed());
		}
		catch (IdempotencyConflictException ex) {
			return problem(index, HttpStatus.UNPROCESSABLE_CONTENT, ex.getMessage(),
					List.of(new FieldProblem(IDEMPOTENCY_KEY, "was already used with a different request")));
		}
		catch (UnknownCustomerException ex) {
			return problem(index, HttpStatus.NOT_FOUND, ex.getMessage(),
					List.of(new FieldProblem("customer", ex.getMessage())));
		}
		catch (UnknownTemplateException ex) {
			return problem(index, HttpStatus.UNPROCESSABLE_CONTENT, ex.getMessage(),
					List.of(new FieldProblem("template", "no published template '" + ex.templateKey() + "'")));
		}
		catch (InvalidTemplateDataException ex) {
			return problem(index, HttpStatus.BAD_REQUEST, ex.getMessage(),
					ex.violations()
						.stream()
						.map((violation) -> new FieldProblem(violation.path(), violation.message()))
						.toList());
		}
		catch (RuntimeException ex) {
			logger.warn("Batch item " + index + " could not be accepted", ex);
			return problem(index, HttpStatus.INTERNAL_SERVER_ERROR, "The item could not be accepted; send it again",
					List.of());
		}
	}

	private static Map<String, Object> tooMany(int index) {
		return problem(index, HttpStatus.CONTENT_TOO_LARGE,
				"A batch holds at most " + MAX_ITEMS + " items; this one and any after it were not read",
				List.of(new FieldProblem("body", "must hold at most " + MAX_ITEMS + " items")));
	}

	/** A problem detail (RFC 9457) for one item, in the API's usual shape. */
	static Map<String, Object> problem(int index, HttpStatus status, String detail, List<FieldProblem> errors) {
		Map<String, Object> problem = new LinkedHashMap<>();
		problem.put("index", index);
		problem.put("status", status.value());
		problem.put("type", errors.isEmpty() ? "about:blank" : VALIDATION);
		problem.put("title", status.getReasonPhrase());
		problem.put("detail", detail);
		if (!errors.isEmpty()) {
			problem.put("errors",
					errors.stream()
						.map((error) -> Map.of("field", error.field(), "message", error.message()))
						.toList());
		}
		return problem;
	}

	private static String path(DatabindException ex) {
		if (ex.getPath().isEmpty()) {
			return "body";
		}
		return ex.getPath()
			.stream()
			.map((ref) -> (ref.getPropertyName() != null) ? ref.getPropertyName() : "[" + ref.getIndex() + "]")
			.collect(Collectors.joining("."))
			.replace(".[", "[");
	}

	private void write(JsonGenerator results, Object result) {
		results.writePOJO(result);
	}

	private void writeLine(OutputStream out, Object result) throws IOException {
		out.write(this.json.writeValueAsBytes(result));
		out.write('\n');
	}

	private static void flushSometimes(JsonGenerator results, int index) {
		if (index % 100 == 0) {
			results.flush();
		}
	}

	/** An item accepted, or replayed with the first answer. */
	record Accepted(int index, int status, String id, String acceptedAt, boolean replayed) {

	}

}
