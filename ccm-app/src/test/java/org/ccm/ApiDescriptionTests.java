package org.ccm;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API description clients are generated from: valid, every operation described with
 * its summary, scope, success answer and problem answers, and the copy committed as
 * {@code docs/openapi.json} the one the application serves. After a deliberate change,
 * run this test with {@code -Dccm.openapi.write=true} to refresh the copy.
 */
class ApiDescriptionTests extends RunningPlatform {

	static final Path COMMITTED = Path.of("../docs/openapi.json");

	@Test
	void theCommittedDescriptionIsTheServedOne() throws Exception {
		JsonNode served = json.readTree(served());
		if (Boolean.getBoolean("ccm.openapi.write")) {
			Files.writeString(COMMITTED,
					json.writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(served) + "\n",
					StandardCharsets.UTF_8);
		}
		assertThat(json.readTree(Files.readString(COMMITTED)))
			.as("docs/openapi.json differs from /v3/api-docs; refresh it with -Dccm.openapi.write=true")
			.isEqualTo(served);
	}

	@Test
	void theDescriptionIsValidAndEveryOperationSaysWhatItAnswers() {
		ParseOptions options = new ParseOptions();
		options.setResolve(true);
		SwaggerParseResult result = new OpenAPIV3Parser().readContents(served(), null, options);
		assertThat(result.getMessages()).isEmpty();
		OpenAPI api = result.getOpenAPI();
		assertThat(api.getComponents().getSecuritySchemes()).containsKey("apiKey");
		assertThat(api.getComponents().getSecuritySchemes().get("apiKey").getScheme()).isEqualTo("bearer");

		List<String> missing = new ArrayList<>();
		int operations = 0;
		for (var path : api.getPaths().entrySet()) {
			for (var entry : path.getValue().readOperationsMap().entrySet()) {
				operations++;
				String name = entry.getKey() + " " + path.getKey();
				Operation operation = entry.getValue();
				missing.addAll(problems(name, path.getKey(), operation));
			}
		}
		assertThat(operations).isGreaterThan(40);
		assertThat(missing).isEmpty();
	}

	@Test
	void theSendIsDescribedAsItAnswers() {
		OpenAPI api = new OpenAPIV3Parser().readContents(served(), null, new ParseOptions()).getOpenAPI();
		Operation send = api.getPaths().get("/api/v1/communications").getPost();
		assertThat(send.getResponses()).containsKeys("202", "400", "401", "403", "413", "415", "422", "500")
			.doesNotContainKey("200");
		assertThat(send.getSecurity()).singleElement()
			.satisfies((requirement) -> assertThat(requirement.get("apiKey")).containsExactly("communications:write"));
		assertThat(send.getParameters()).anySatisfy((parameter) -> {
			assertThat(parameter.getName()).isEqualTo("Idempotency-Key");
			assertThat(parameter.getRequired()).isTrue();
			assertThat(parameter.getDescription()).contains("422");
		});
		assertThat(send.getResponses().get("422").getContent().get("application/problem+json").getExamples())
			.containsKeys("unprocessable", "idempotency-key-reused");
		Operation upsert = api.getPaths().get("/api/v1/customers/{externalId}").getPut();
		assertThat(upsert.getResponses()).containsKeys("200", "201");
	}

	private static List<String> problems(String name, String path, Operation operation) {
		List<String> problems = new ArrayList<>();
		if (operation.getSummary() == null || operation.getSummary().isBlank()) {
			problems.add(name + ": no summary");
		}
		if (operation.getSecurity() == null || operation.getSecurity().isEmpty()
				|| operation.getSecurity().get(0).get("apiKey") == null
				|| operation.getSecurity().get(0).get("apiKey").isEmpty()) {
			problems.add(name + ": no API key scope");
		}
		Map<String, ApiResponse> responses = operation.getResponses();
		List<String> needed = new ArrayList<>(List.of("401", "403", "500"));
		if (operation.getRequestBody() != null
				|| (operation.getParameters() != null && !operation.getParameters().isEmpty())) {
			needed.add("400");
		}
		if (path.contains("{")) {
			needed.add("404");
		}
		if (operation.getRequestBody() != null) {
			needed.add("415");
		}
		for (String code : needed) {
			if (!responses.containsKey(code)) {
				problems.add(name + ": no " + code + " answer");
			}
		}
		boolean success = false;
		for (var response : responses.entrySet()) {
			String code = response.getKey();
			Map<String, MediaType> content = (response.getValue().getContent() != null)
					? response.getValue().getContent() : Map.of();
			if (code.startsWith("4") || code.startsWith("5")) {
				MediaType problem = content.get("application/problem+json");
				if (problem == null || problem.getSchema() == null
						|| !"#/components/schemas/Problem".equals(problem.getSchema().get$ref())) {
					problems.add(name + ": " + code + " is not a problem+json answer");
				}
			}
			else if (code.startsWith("2")) {
				success = true;
				if (content.containsKey("*/*")) {
					problems.add(name + ": " + code + " answers */*");
				}
			}
		}
		if (!success) {
			problems.add(name + ": no success answer");
		}
		return problems;
	}

	private String served() {
		return http.get().uri("/v3/api-docs").retrieve().body(String.class);
	}

}
