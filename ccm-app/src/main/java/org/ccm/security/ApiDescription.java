package org.ccm.security;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import org.ccm.core.problems.ProblemType;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * The API description back-office systems generate their clients from
 * ({@code /v3/api-docs}, committed as {@code docs/openapi.json}). Controllers say what
 * each operation does and its own error answers; this adds what every operation shares,
 * from one table each: the API key and the scope the operation needs ({@link ApiAccess}),
 * and the problem-detail answers it can give (the types of {@code docs/api-errors.md}).
 */
@Configuration(proxyBeanMethods = false)
class ApiDescription {

	static {
		// free-form JSON and streamed bodies: springdoc would describe their Java types'
		// fields
		SpringDocUtils.getConfig()
			.replaceWithSchema(tools.jackson.databind.JsonNode.class, new ObjectSchema())
			.replaceWithSchema(StreamingResponseBody.class, new StringSchema());
	}

	static final String API_KEY = "apiKey";

	static final String PROBLEM = "Problem";

	private static final String PROBLEM_JSON = org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE;

	static final String IDEMPOTENCY_KEY = "Idempotency-Key";

	@Bean
	OpenAPI openApi() {
		return new OpenAPI().info(new Info().title("CCM API").version("v1").description("""
				The REST API back-office systems use to keep customers and send them communications.

				**Authentication.** Every call carries `Authorization: Bearer <api key>`. A key has \
				scopes; each operation names the scope it needs. Without a valid key the answer is \
				`401`, without the scope `403`.

				**Errors.** Every error is an RFC 9457 problem detail (`application/problem+json`) \
				with a stable `type` (`urn:ccm:problem:...`), a `title`, the `status`, a `detail`, \
				the `instance` path and, where fields are at fault, `errors` as `{field, message}` \
				pairs. Switch on `type`, never on `detail`. The types are listed with each \
				response and in docs/api-errors.md.

				**Retries.** A send carries an `Idempotency-Key`: retrying with the same key and \
				body returns the first answer and sends nothing twice."""))
			.addServersItem(new Server().url("http://localhost:8080").description("The local run"))
			.components(new Components().addSecuritySchemes(API_KEY,
					new SecurityScheme().type(SecurityScheme.Type.HTTP)
						.scheme("bearer")
						.bearerFormat("API key")
						.description("An API key issued in the admin UI, with the scopes the calls need.")));
	}

	private static Schema<?> fieldProblemSchema() {
		return new ObjectSchema().description("A field at fault and what is wrong with it.")
			.addProperty("field",
					new StringSchema()
						.description("A path into the request (data.lines[0].quantity), a header or a parameter name.")
						.example("email"))
			.addProperty("message", new StringSchema().example("is not a valid email address"))
			.required(List.of("field", "message"));
	}

	private static Schema<?> problemSchema() {
		return new ObjectSchema().description("An RFC 9457 problem detail; the types are in docs/api-errors.md.")
			.addProperty("type", new StringSchema().format("uri")
				.description("Stable identifier of the kind of error: " + String.join(", ",
						EnumSet.allOf(ProblemType.class).stream().map((type) -> type.uri().toString()).toList()))
				.example(ProblemType.VALIDATION.uri().toString()))
			.addProperty("title",
					new StringSchema().description("Belongs to the type; the same every time.")
						.example(ProblemType.VALIDATION.title()))
			.addProperty("status", new IntegerSchema().example(400))
			.addProperty("detail",
					new StringSchema().description("What went wrong this time.")
						.example("The customer data has invalid fields"))
			.addProperty("instance",
					new StringSchema().format("uri-reference")
						.description("The path of the request.")
						.example("/api/v1/customers/C-2001"))
			.addProperty("errors",
					new ArraySchema().items(new Schema<>().$ref("#/components/schemas/FieldProblem"))
						.description("The fields at fault; always present for validation problems."))
			.required(List.of("type", "title", "status", "detail", "instance"));
	}

	@Bean
	OpenApiCustomizer sharedAnswers() {
		return (openApi) -> {
			if (openApi.getPaths() == null) {
				return;
			}
			// added here, not to the bean above: springdoc drops schemas no controller
			// uses
			openApi.getComponents()
				.addSchemas("FieldProblem", fieldProblemSchema())
				.addSchemas(PROBLEM, problemSchema());
			openApi.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
				describeAccess(path, method, operation);
				describeIdempotencyKey(operation);
				describeErrors(path, operation);
			}));
		};
	}

	private static void describeAccess(String path, PathItem.HttpMethod method, Operation operation) {
		ApiAccess.scopeFor(HttpMethod.valueOf(method.name()), path).ifPresent((scope) -> {
			operation.setSecurity(List.of(new SecurityRequirement().addList(API_KEY, scope.value())));
			operation.addExtension("x-required-scope", scope.value());
			String description = operation.getDescription();
			operation.setDescription("Needs an API key with the scope `" + scope.value() + "`."
					+ ((description != null && !description.isBlank()) ? "\n\n" + description : ""));
		});
	}

	private static void describeIdempotencyKey(Operation operation) {
		if (operation.getParameters() == null) {
			return;
		}
		for (Parameter parameter : operation.getParameters()) {
			if ("header".equals(parameter.getIn()) && IDEMPOTENCY_KEY.equalsIgnoreCase(parameter.getName())) {
				parameter.description("""
						Makes the send safe to retry: 1 to 255 characters the caller chooses once per \
						communication (an invoice number, a UUID). The same key with the same body \
						answers the first answer again, with `Idempotent-Replayed: true`, and sends \
						nothing twice; the same key with another body answers `422` \
						(urn:ccm:problem:idempotency-key-reused). Keys are per API client.""").example("inv-2026-0042");
				parameter.getSchema().minLength(1).maxLength(255);
			}
		}
	}

	/**
	 * The problem answers every operation can give, by what it takes; answers a
	 * controller declared itself (a {@code 409}, a {@code 422}) get the problem content
	 * too.
	 */
	private static void describeErrors(String path, Operation operation) {
		// every call needs the database: while it is away, 503 unavailable
		Set<ProblemType> types = EnumSet.of(ProblemType.UNAUTHENTICATED, ProblemType.FORBIDDEN, ProblemType.INTERNAL,
				ProblemType.UNAVAILABLE);
		boolean hasBody = operation.getRequestBody() != null;
		boolean hasParameters = operation.getParameters() != null && !operation.getParameters().isEmpty();
		if (hasBody || hasParameters) {
			types.add(ProblemType.VALIDATION);
		}
		if (path.contains("{")) {
			types.add(ProblemType.NOT_FOUND);
		}
		if (path.startsWith("/api/v1/segments")
				&& (path.endsWith("count") || path.endsWith("/preview") || path.endsWith("/members"))) {
			// segment queries run under a statement timeout
			types.add(ProblemType.QUERY_TIMEOUT);
		}
		if (hasBody) {
			types.add(ProblemType.UNSUPPORTED_MEDIA_TYPE);
			if (!path.endsWith(":import")) {
				types.add(ProblemType.CONTENT_TOO_LARGE);
			}
		}
		ApiResponses responses = (operation.getResponses() != null) ? operation.getResponses() : new ApiResponses();
		Map<Integer, String> declared = new TreeMap<>();
		responses.forEach((code, response) -> {
			if (code.matches("[45]\\d\\d")) {
				declared.put(Integer.valueOf(code), response.getDescription());
			}
		});
		Map<Integer, List<ProblemType>> byStatus = new TreeMap<>();
		for (ProblemType type : ProblemType.values()) {
			if (types.contains(type) || declared.containsKey(type.status().value())) {
				byStatus.computeIfAbsent(type.status().value(), (status) -> new ArrayList<>()).add(type);
			}
		}
		byStatus.forEach((status, answered) -> {
			String description = declared.get(status);
			if (description == null || description.isBlank()) {
				description = String.join("; ", answered.stream().map(ProblemType::title).toList());
			}
			responses.addApiResponse(String.valueOf(status),
					new ApiResponse().description(description).content(problemContent(answered)));
		});
		operation.setResponses(sorted(responses));
	}

	private static Content problemContent(List<ProblemType> types) {
		MediaType media = new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM));
		for (ProblemType type : types) {
			Map<String, Object> value = new LinkedHashMap<>();
			value.put("type", type.uri().toString());
			value.put("title", type.title());
			value.put("status", type.status().value());
			value.put("detail", exampleDetail(type));
			value.put("instance", "/api/v1/...");
			if (type == ProblemType.VALIDATION) {
				value.put("errors", List.of(Map.of("field", "email", "message", "is not a valid email address")));
			}
			media.addExamples(type.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
					new Example().summary(type.title()).value(value));
		}
		return new Content().addMediaType(PROBLEM_JSON, media);
	}

	private static String exampleDetail(ProblemType type) {
		return switch (type) {
			case VALIDATION -> "The customer data has invalid fields";
			case UNAUTHENTICATED -> "A valid API key is required: Authorization: Bearer <key>";
			case FORBIDDEN -> "This API key has no scope for this call";
			case NOT_FOUND -> "no customer with external id 'C-2001'";
			case CONFLICT -> "A segment with this key exists; PUT replaces it";
			case CONTENT_TOO_LARGE -> "The request body is larger than 1048576 bytes";
			case UNPROCESSABLE -> "no published template 'invoice'";
			case IDEMPOTENCY_KEY_REUSED -> "idempotency key 'inv-2026-0042' was already used with a different request";
			case INTERNAL -> "The request could not be completed; the error has been logged";
			case UNAVAILABLE -> "The platform cannot reach its database at the moment; nothing was done. Retry later "
					+ "(a send with the same Idempotency-Key)";
			default -> type.title();
		};
	}

	private static ApiResponses sorted(ApiResponses responses) {
		ApiResponses sorted = new ApiResponses();
		new TreeMap<>(responses).forEach(sorted::addApiResponse);
		sorted.setExtensions(responses.getExtensions());
		return sorted;
	}

}
