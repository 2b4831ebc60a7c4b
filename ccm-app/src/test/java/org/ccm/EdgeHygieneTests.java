package org.ccm;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import jakarta.mail.internet.MimeMessage;
import jakarta.servlet.ServletContext;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;

import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What arrives at the edge is checked before anything reads it: body size on every path,
 * multipart bodies only where an endpoint takes files, text without NUL or unpaired
 * surrogates, JSON within depth and list limits, and header-bound text that cannot add a
 * mail header. Every refusal is a 4xx problem detail.
 */
class EdgeHygieneTests extends RunningPlatform {

	@Autowired
	JdbcClient jdbc;

	@Autowired
	ServletContext servletContext;

	@Test
	void theBodyLimitHoldsOnPathsThatLookLikeImports() {
		String externalId = "x" + System.nanoTime() + ":import";
		String name = "A".repeat(2 * 1024 * 1024);
		ResponseEntity<String> answer = http.put()
			.uri("/api/v1/customers/{id}", externalId)
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + API_KEY)
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"name\": \"" + name + "\"}")
			.retrieve()
			.toEntity(String.class);
		assertThat(answer.getStatusCode().value()).isEqualTo(413);
		assertThat(answer.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(jdbc.sql("SELECT count(*) FROM customer WHERE external_id = :id")
			.param("id", externalId)
			.query(Long.class)
			.single()).isZero();
	}

	@Test
	void theBodyLimitHoldsOnPublicAndStaffPathsToo() throws Exception {
		byte[] body = new byte[2 * 1024 * 1024];
		for (String path : List.of("/t/u/x", "/admin/login", "/portal/x/preferences")) {
			HttpResponse<String> answer = send(path, "application/x-www-form-urlencoded", body);
			assertThat(answer.statusCode()).as(path).isEqualTo(413);
		}
	}

	@Test
	void multipartUploadsAreRefusedUnreadWhereNoEndpointTakesFiles() throws Exception {
		Path uploads = (Path) ((java.io.File) servletContext.getAttribute(ServletContext.TEMPDIR)).toPath();
		String boundary = "edge" + System.nanoTime();
		byte[] multipart = ("--" + boundary
				+ "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.bin\"\r\n"
				+ "Content-Type: application/octet-stream\r\n\r\n" + "A".repeat(512 * 1024) + "\r\n--" + boundary
				+ "--\r\n")
			.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
		try (WatchService watcher = FileSystems.getDefault().newWatchService()) {
			uploads.register(watcher, StandardWatchEventKinds.ENTRY_CREATE);
			for (String path : List.of("/admin/login", "/t/u/x", "/actuator/health", "/api/v1/customers:import")) {
				HttpResponse<String> answer = send(path, "multipart/form-data; boundary=" + boundary, multipart);
				assertThat(answer.statusCode()).as(path).isEqualTo(415);
				assertThat(answer.headers().firstValue("Content-Type").orElse(""))
					.startsWith("application/problem+json");
			}
			List<String> created = new ArrayList<>();
			WatchKey key = watcher.poll(500, java.util.concurrent.TimeUnit.MILLISECONDS);
			if (key != null) {
				for (WatchEvent<?> event : key.pollEvents()) {
					created.add(String.valueOf(event.context()));
				}
			}
			assertThat(created).as("nothing written to " + uploads).noneMatch((file) -> file.startsWith("upload"));
		}
	}

	@Test
	void nulAndUnpairedSurrogatesAreRefusedNamingTheField() {
		ResponseEntity<String> nul = putCustomerJson("nul-" + System.nanoTime(),
				"{\"name\": \"Ada\\u0000Lovelace\", \"locale\": \"en-GB\"}");
		assertThat(nul.getStatusCode().value()).isEqualTo(400);
		assertThat(nul.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(field(nul)).isEqualTo("name");

		ResponseEntity<String> surrogate = http.post()
			.uri("/api/v1/communications")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + API_KEY)
			.header("Idempotency-Key", "surrogate-" + System.nanoTime())
			.contentType(MediaType.APPLICATION_JSON)
			.body("""
					{"customer": "C-1", "template": "invoice", "purpose": "TRANSACTIONAL",
					 "data": {"invoiceNumber": "\\ud800", "lines": [{"description": "ok"}, {"description": "\\udc00x"}]}}""")
			.retrieve()
			.toEntity(String.class);
		assertThat(surrogate.getStatusCode().value()).isEqualTo(400);
		assertThat(field(surrogate)).isEqualTo("data.invoiceNumber");

		ResponseEntity<String> nested = putCustomerJson("nested-" + System.nanoTime(), """
				{"name": "Ada", "attributes": {"notes": [{"text": "fine"}, {"text": "lone \\udfff"}]}}""");
		assertThat(nested.getStatusCode().value()).isEqualTo(400);
		assertThat(field(nested)).isEqualTo("attributes.notes[1].text");

		ResponseEntity<String> pair = putCustomerJson("pair-" + System.nanoTime(),
				"{\"name\": \"Ada \\ud83d\\ude00\", \"locale\": \"en-GB\", \"timeZone\": \"UTC\"}");
		assertThat(pair.getStatusCode().value()).as("a proper pair is text like any other").isIn(200, 201);
	}

	@Test
	void aSegmentRuleWithAHundredThousandValuesIsRefusedNotFailed() {
		String values = IntStream.range(0, 100_000).mapToObj((i) -> "\"v" + i + "\"").collect(Collectors.joining(","));
		ResponseEntity<String> answer = http.post()
			.uri("/api/v1/segments:count")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + API_KEY)
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"type\": \"attribute\", \"name\": \"tier\", \"op\": \"in\", \"value\": [" + values + "]}")
			.retrieve()
			.toEntity(String.class);
		assertThat(answer.getStatusCode().value()).isEqualTo(400);
		assertThat(field(answer)).startsWith("value[");
	}

	@Test
	void hostileBodiesGetProblemDetailsAndNeverAServerError() {
		String deep = "[".repeat(5000) + "]".repeat(5000);
		String longString = "{\"name\": \"" + "x".repeat(200_000) + "\"}";
		String manyRules = "{\"type\": \"or\", \"rules\": [" + IntStream.range(0, 20_000)
			.mapToObj((i) -> "{\"type\": \"attribute\", \"name\": \"tier\", \"op\": \"eq\", \"value\": \"" + i + "\"}")
			.collect(Collectors.joining(",")) + "]}";
		Map<String, String> corpus = Map.of("deep", deep, "long", longString, "rules", manyRules, "nulKey",
				"{\"na\\u0000me\": \"x\"}", "truncated", "{\"name\": \"x", "crlfPath", "{}");
		for (Map.Entry<String, String> hostile : corpus.entrySet()) {
			for (String path : List.of("/api/v1/segments:count", "/api/v1/customers/hostile-" + System.nanoTime())) {
				boolean put = path.startsWith("/api/v1/customers");
				ResponseEntity<String> answer = (put ? http.put() : http.post()).uri(path)
					.header(HttpHeaders.AUTHORIZATION, "Bearer " + API_KEY)
					.contentType(MediaType.APPLICATION_JSON)
					.body(hostile.getValue())
					.retrieve()
					.toEntity(String.class);
				if (!hostile.getKey().equals("crlfPath")) {
					assertThat(answer.getStatusCode().value()).as(hostile.getKey() + " " + path).isBetween(400, 499);
					assertThat(answer.getHeaders().getContentType()).as(hostile.getKey() + " " + path)
						.isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
				}
			}
		}
	}

	@Test
	void anEmailAddressCannotCarryAHeader() {
		ResponseEntity<String> answer = putCustomerJson("crlf-" + System.nanoTime(),
				"{\"name\": \"Ada\", \"email\": \"ada@example.com\\r\\nBcc: spy@evil.example\"}");
		assertThat(answer.getStatusCode().value()).isEqualTo(400);
	}

	@Test
	void textInTheSubjectIsFoldedSoItCannotAddAHeader() throws Exception {
		String customer = "C-HDR-" + System.nanoTime();
		assertThat(putCustomer(customer, List.of("EMAIL")).getStatusCode().is2xxSuccessful()).isTrue();
		int before = smtp.getReceivedMessages().length;
		ResponseEntity<String> accepted = http.post()
			.uri("/api/v1/communications")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + API_KEY)
			.header("Idempotency-Key", "hdr-" + System.nanoTime())
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("customer", customer, "template", "invoice", "purpose", "TRANSACTIONAL", "data",
					Map.of("invoiceNumber", "INV-1\r\nBcc: spy@evil.example\r\nX-Injected: yes", "issueDate",
							"2026-11-01", "dueDate", "2026-11-30", "currency", "GBP", "lines",
							List.of(Map.of("description", "Electricity", "quantity", 1, "unitPrice", 84.20)), "total",
							84.20)))
			.retrieve()
			.toEntity(String.class);
		assertThat(accepted.getStatusCode().value()).as(accepted.getBody()).isEqualTo(202);
		MimeMessage sent = await().atMost(Duration.ofSeconds(60)).until(() -> {
			for (MimeMessage message : smtp.getReceivedMessages()) {
				if (java.util.Arrays.stream(message.getAllRecipients())
					.anyMatch((r) -> r.toString().equalsIgnoreCase(customer + "@example.com"))) {
					return message;
				}
			}
			return null;
		}, java.util.Objects::nonNull);
		assertThat(sent.getHeader("X-Injected")).isNull();
		assertThat(sent.getHeader("Bcc")).isNull();
		assertThat(sent.getAllRecipients()).hasSize(1);
		assertThat(smtp.getReceivedMessagesForDomain("evil.example")).isEmpty();
		assertThat(sent.getSubject()).contains("INV-1").contains("X-Injected: yes");
		assertThat(smtp.getReceivedMessages().length).isGreaterThan(before);
	}

	private ResponseEntity<String> putCustomerJson(String id, String body) {
		return http.put()
			.uri("/api/v1/customers/{id}", id)
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + API_KEY)
			.contentType(MediaType.APPLICATION_JSON)
			.body(body)
			.retrieve()
			.toEntity(String.class);
	}

	private String field(ResponseEntity<String> answer) {
		JsonNode problem = json.readTree(answer.getBody());
		return problem.path("errors").path(0).path("field").asString();
	}

	private HttpResponse<String> send(String path, String contentType, byte[] body) throws IOException {
		return send(path, contentType, HttpRequest.BodyPublishers.ofByteArray(body));
	}

	private HttpResponse<String> send(String path, String contentType, HttpRequest.BodyPublisher body)
			throws IOException {
		try {
			return HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
					.header("Content-Type", contentType)
					.POST(body)
					.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException(ex);
		}
	}

}
