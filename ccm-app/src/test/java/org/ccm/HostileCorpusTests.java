package org.ccm;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A hostile corpus against the main API endpoints: NUL, lone surrogates, 5 MB strings,
 * deep JSON, NUL in field names, CRLF in header-bound fields and path tricks. Every
 * answer is a 4xx (problem details wherever the platform answers), never a 5xx, and
 * nothing is written.
 */
class HostileCorpusTests extends RunningPlatform {

	@Test
	void everyHostileBodyIsRefusedAsAProblemAndWritesNothing() {
		String customer = "C-HOSTILE-" + System.nanoTime();
		assertThat(putCustomer(customer, List.of("EMAIL")).getStatusCode().value()).isEqualTo(201);
		int timelineBefore = getJson("/api/v1/customers/" + customer + "/timeline").path("entries").size();
		String fresh = "hostile-" + System.nanoTime();

		Map<String, String> corpus = new LinkedHashMap<>();
		corpus.put("NUL in a value", "{\"name\": \"Ada\\u0000\", \"type\": \"x\\u0000\", \"customer\": \"\\u0000\"}");
		corpus.put("lone surrogate", "{\"name\": \"\\ud800\", \"type\": \"\\udc00\", \"customer\": \"\\ud800\"}");
		corpus.put("5 MB string", "{\"name\": \"" + "x".repeat(5 * 1024 * 1024) + "\"}");
		corpus.put("deep JSON", "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000));
		corpus.put("NUL in a field name", "{\"na\\u0000me\": \"Ada\"}");
		corpus.put("CRLF in an address",
				"{\"name\": \"Mallory\", \"email\": \"m@example.com\\r\\nBcc: spy@evil.example\"," + " \"customer\": \""
						+ customer + "\\r\\nX-Injected: yes\"}");

		Map<String, HttpMethod> endpoints = new LinkedHashMap<>();
		endpoints.put("/api/v1/customers/" + fresh, HttpMethod.PUT);
		endpoints.put("/api/v1/customers/" + customer + "/transactions", HttpMethod.POST);
		endpoints.put("/api/v1/customers/" + customer + "/consents", HttpMethod.POST);
		endpoints.put("/api/v1/communications", HttpMethod.POST);
		endpoints.put("/api/v1/segments:count", HttpMethod.POST);
		endpoints.put("/api/v1/segments/" + fresh, HttpMethod.PUT);
		endpoints.put("/api/v1/offers/" + fresh, HttpMethod.PUT);

		List<String> wrong = new ArrayList<>();
		corpus.forEach((what, body) -> endpoints.forEach((path, method) -> {
			ResponseEntity<String> answer = http.method(method)
				.uri(path)
				.header(HttpHeaders.AUTHORIZATION, "Bearer " + API_KEY)
				.header("Idempotency-Key", "hostile-" + System.nanoTime())
				.contentType(MediaType.APPLICATION_JSON)
				.body(body)
				.retrieve()
				.toEntity(String.class);
			int status = answer.getStatusCode().value();
			if (status < 400 || status > 499
					|| !MediaType.APPLICATION_PROBLEM_JSON.equals(answer.getHeaders().getContentType())) {
				wrong.add(what + " → " + method + " " + path + ": " + status + " "
						+ answer.getHeaders().getContentType());
			}
		}));
		assertThat(wrong).isEmpty();

		assertThat(status("GET", "/api/v1/customers/" + fresh)).isEqualTo(404);
		assertThat(status("GET", "/api/v1/segments/" + fresh)).isEqualTo(404);
		assertThat(status("GET", "/api/v1/offers/" + fresh)).isEqualTo(404);
		assertThat(getJson("/api/v1/customers/" + customer + "/transactions").size()).isZero();
		assertThat(getJson("/api/v1/customers/" + customer + "/timeline").path("entries").size())
			.isEqualTo(timelineBefore);
	}

	@Test
	void pathTricksNeverReachAnotherResourceNorFail() {
		String body = "{\"name\": \"Path Trick\"}";
		List<String> tricks = List.of("/api/v1/customers/..%2Fapi-keys", "/api/v1/customers/%2e%2e/api-keys",
				"/api/v1/customers/a%00b", "/api/v1/customers/..;/api-keys", "/api/v1/customers/%252e%252e%252fx",
				"/api/v1/customers/x%0d%0aX-Injected:%20yes", "/api/v1//customers/x", "/api/v1/customers/%c0%ae%c0%ae");
		List<String> wrong = new ArrayList<>();
		for (String trick : tricks) {
			for (String method : List.of("GET", "PUT", "DELETE")) {
				int status = status(method, trick, body);
				// the key may do anything: a trick must still never answer 2xx or 5xx
				if (status < 400 || status > 499) {
					wrong.add(method + " " + trick + ": " + status);
				}
			}
		}
		assertThat(wrong).isEmpty();
		assertThat(status("GET", "/api/v1/api-keys")).as("the keys are still there").isEqualTo(200);
	}

	@Test
	void pathTricksTheContainerRefusesAreProblemDetailsToo() {
		for (String trick : List.of("/api/v1/customers/..%2Fapi-keys", "/api/v1/customers/a%00b",
				"/api/v1/customers/%c0%ae%c0%ae", "/api/v1/customers/%2e%2e/api-keys")) {
			ResponseEntity<String> answer = http.get()
				.uri(URI.create("http://localhost:" + port + trick))
				.header(HttpHeaders.AUTHORIZATION, "Bearer " + API_KEY)
				.retrieve()
				.toEntity(String.class);
			assertThat(answer.getStatusCode().is4xxClientError()).as(trick).isTrue();
			assertThat(answer.getHeaders().getContentType())
				.as(trick + " answered " + answer.getStatusCode() + " " + answer.getHeaders().getContentType() + " "
						+ answer.getBody())
				.satisfies((type) -> assertThat(type.isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)).isTrue());
			assertThat(answer.getBody()).as(trick).contains("\"status\":" + answer.getStatusCode().value());
		}
	}

	private int status(String method, String path) {
		return status(method, path, null);
	}

	private int status(String method, String path, String body) {
		var request = http.method(HttpMethod.valueOf(method))
			.uri(URI.create("http://localhost:" + port + path))
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + API_KEY);
		if (body != null && !method.equals("GET") && !method.equals("DELETE")) {
			request.contentType(MediaType.APPLICATION_JSON).body(body);
		}
		return request.retrieve().toEntity(String.class).getStatusCode().value();
	}

}
