package org.ccm;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

import tools.jackson.databind.JsonNode;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One invoice through every channel on real parts: PostgreSQL, Kafka, an SMTP server and
 * the Twilio SDK against a local stand-in, all through the secured REST API.
 */
class InvoiceJourneyTests extends RunningPlatform {

	@Test
	void invoiceReachesEveryPreferredChannelAndEngagementComesBack() throws Exception {
		String customer = "C-" + UUID.randomUUID();
		ResponseEntity<String> created = putCustomer(customer, List.of("EMAIL", "SMS", "PRINT", "PORTAL"));
		assertThat(created.getStatusCode().value()).isEqualTo(201);

		String key = UUID.randomUUID().toString();
		ResponseEntity<String> accepted = send(key, invoice(customer, "INV-2026-0042"));
		assertThat(accepted.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
		String id = json.readTree(accepted.getBody()).path("id").asString();
		assertThat(id).isNotBlank();

		JsonNode communication = await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(300))
			.until(() -> getJson("/api/v1/communications/" + id),
					(node) -> channelStatuses(node).values().stream().allMatch("SENT"::equals)
							&& channelStatuses(node).size() == 4);
		assertThat(communication.path("status").asString()).isEqualTo("SENT");
		for (JsonNode delivery : communication.path("deliveries")) {
			assertThat(delivery.path("history").size()).isGreaterThanOrEqualTo(2);
			assertThat(delivery.path("history").get(0).path("at").asString()).isNotBlank();
		}

		// email: HTML and text parts, the PDF attached, one-click unsubscribe headers
		MimeMessage mail = await().atMost(Duration.ofSeconds(10))
			.until(() -> Stream.of(smtp.getReceivedMessages())
				.filter((message) -> recipients(message).contains(customer.toLowerCase() + "@example.com"))
				.findFirst()
				.orElse(null), (message) -> message != null);
		List<String> contentTypes = new ArrayList<>();
		collectParts(mail, contentTypes);
		assertThat(contentTypes).anyMatch((type) -> type.startsWith("text/html"))
			.anyMatch((type) -> type.startsWith("text/plain"))
			.anyMatch((type) -> type.startsWith("application/pdf"));
		assertThat(mail.getHeader("List-Unsubscribe")[0]).contains("http://localhost:" + port + "/t/u/");
		assertThat(mail.getHeader("List-Unsubscribe-Post")[0]).isEqualTo("List-Unsubscribe=One-Click");
		String html = htmlPart(mail);
		assertThat(html).contains("INV-2026-0042");

		// the archived email is the message that was sent
		ResponseEntity<byte[]> archivedEmail = http.get()
			.uri("/api/v1/communications/{id}/documents/EMAIL", id)
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + API_KEY)
			.retrieve()
			.toEntity(byte[].class);
		assertThat(archivedEmail.getStatusCode().value()).isEqualTo(200);
		String archived = new String(archivedEmail.getBody(), StandardCharsets.UTF_8);
		assertThat(archived).contains("Message-ID: " + mail.getMessageID());

		// SMS through the Twilio SDK, with the account's credentials
		twilio.verify(postRequestedFor(urlPathMatching(TWILIO_MESSAGES))
			.withBasicAuth(new com.github.tomakehurst.wiremock.client.BasicCredentials(
					"AC11111111111111111111111111111111", "journey-auth-token"))
			.withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing("To=%2B447911123456"))
			// the portal address in the text is the customer's own signed link
			.withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing("%2Fportal%2F")));

		// print: the archived PDF is the file handed to the print house, listed in the
		// manifest
		ResponseEntity<byte[]> archivedPrint = http.get()
			.uri("/api/v1/communications/{id}/documents/PRINT", id)
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + API_KEY)
			.retrieve()
			.toEntity(byte[].class);
		assertThat(archivedPrint.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PDF);
		List<Path> pdfs;
		try (Stream<Path> files = Files.walk(printDirectory)) {
			pdfs = files.filter((file) -> file.toString().endsWith(".pdf")).toList();
		}
		assertThat(pdfs).anySatisfy((pdf) -> assertThat(Files.readAllBytes(pdf)).isEqualTo(archivedPrint.getBody()));
		try (Stream<Path> files = Files.walk(printDirectory)) {
			String manifests = files.filter((file) -> file.getFileName().toString().contains("manifest"))
				.map((file) -> read(file))
				.reduce("", String::concat);
			assertThat(manifests).contains(customer);
		}

		// portal: the document is in the customer's inbox
		ResponseEntity<byte[]> archivedPortal = http.get()
			.uri("/api/v1/communications/{id}/documents/PORTAL", id)
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + API_KEY)
			.retrieve()
			.toEntity(byte[].class);
		assertThat(archivedPortal.getStatusCode().value()).isEqualTo(200);

		// engagement: the open pixel and a signed click link
		String pixel = firstMatch(html, "src=\"(http://localhost:" + port + "/t/o/[^\"]+)\"");
		String click = firstMatch(html, "href=\"(http://localhost:" + port + "/t/c/[^\"]+)\"");
		ResponseEntity<byte[]> opened = http.get().uri(URI.create(pixel)).retrieve().toEntity(byte[].class);
		assertThat(opened.getStatusCode().value()).isEqualTo(200);
		assertThat(opened.getHeaders().getContentType()).isEqualTo(MediaType.IMAGE_GIF);
		ResponseEntity<String> clicked = http.get().uri(URI.create(click)).retrieve().toEntity(String.class);
		assertThat(clicked.getStatusCode().value()).isEqualTo(302);
		assertThat(clicked.getHeaders().getLocation()).isNotNull();
		assertThat(clicked.getHeaders().getLocation().toString()).doesNotContain("/t/c/");
		// the invoice's portal link opens this customer's inbox, which holds the invoice
		assertThat(clicked.getHeaders().getLocation().toString()).startsWith("http://localhost:" + port + "/portal/");
		ResponseEntity<String> inbox = http.get()
			.uri(clicked.getHeaders().getLocation())
			.retrieve()
			.toEntity(String.class);
		assertThat(inbox.getStatusCode().value()).isEqualTo(200);
		assertThat(inbox.getBody()).contains("INV-2026-0042");

		ResponseEntity<String> tampered = http.get().uri(URI.create(tamper(click))).retrieve().toEntity(String.class);
		assertThat(tampered.getStatusCode().value()).isEqualTo(400);
		assertThat(tampered.getHeaders().getLocation()).isNull();

		JsonNode timeline = await().atMost(Duration.ofSeconds(10))
			.until(() -> getJson("/api/v1/customers/" + customer + "/timeline"),
					(node) -> node.toString().contains("OPENED") && node.toString().contains("CLICKED"));
		assertThat(timeline.toString()).contains("SENT");
		JsonNode afterEngagement = getJson("/api/v1/communications/" + id);
		assertThat(channelStatuses(afterEngagement).get("EMAIL")).isIn("OPENED", "CLICKED");
	}

	@Test
	void replayingAKeyReturnsTheFirstAnswerAndAnotherBodyIsRefused() throws Exception {
		String customer = "C-" + UUID.randomUUID();
		putCustomer(customer, List.of("PORTAL"));
		String key = UUID.randomUUID().toString();
		ResponseEntity<String> first = send(key, invoice(customer, "INV-1"));
		ResponseEntity<String> replay = send(key, invoice(customer, "INV-1"));
		assertThat(first.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
		assertThat(replay.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
		assertThat(json.readTree(replay.getBody()).path("id")).isEqualTo(json.readTree(first.getBody()).path("id"));

		ResponseEntity<String> conflict = send(key, invoice(customer, "INV-2"));
		assertThat(conflict.getStatusCode().value()).isEqualTo(422);
		assertThat(conflict.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
	}

	@Test
	void badInputIsAProblemNamingTheFieldAndNothingIsAccepted() throws Exception {
		String customer = "C-" + UUID.randomUUID();
		putCustomer(customer, List.of("EMAIL"));

		ResponseEntity<String> malformed = send(UUID.randomUUID().toString(), "{\"customer\": ");
		assertThat(malformed.getStatusCode().value()).isEqualTo(400);
		assertThat(malformed.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);

		Map<String, Object> missingTotal = invoice(customer, "INV-3");
		@SuppressWarnings("unchecked")
		Map<String, Object> data = new java.util.HashMap<>((Map<String, Object>) missingTotal.get("data"));
		data.remove("total");
		data.put("issueDate", 42);
		Map<String, Object> invalid = new java.util.HashMap<>(missingTotal);
		invalid.put("data", data);
		ResponseEntity<String> invalidData = send(UUID.randomUUID().toString(), invalid);
		assertThat(invalidData.getStatusCode().is4xxClientError()).isTrue();
		assertThat(invalidData.getBody()).contains("total").contains("issueDate");

		Map<String, Object> unknownCustomer = invoice("C-nobody-" + UUID.randomUUID(), "INV-4");
		ResponseEntity<String> noCustomer = send(UUID.randomUUID().toString(), unknownCustomer);
		assertThat(noCustomer.getStatusCode().is4xxClientError()).isTrue();
		assertThat(noCustomer.getBody()).contains("customer");

		Map<String, Object> unknownTemplate = new java.util.HashMap<>(invoice(customer, "INV-5"));
		unknownTemplate.put("template", "no-such-template");
		ResponseEntity<String> noTemplate = send(UUID.randomUUID().toString(), unknownTemplate);
		assertThat(noTemplate.getStatusCode().is4xxClientError()).isTrue();
		assertThat(noTemplate.getBody()).contains("template");

		ResponseEntity<String> noKey = http.post()
			.uri("/api/v1/communications")
			.contentType(MediaType.APPLICATION_JSON)
			.header("Idempotency-Key", UUID.randomUUID().toString())
			.body(invoice(customer, "INV-6"))
			.retrieve()
			.toEntity(String.class);
		assertThat(noKey.getStatusCode().value()).isEqualTo(401);

		Map<String, Object> oversized = new java.util.HashMap<>(invoice(customer, "INV-7"));
		oversized.put("padding", "x".repeat(2 * 1024 * 1024));
		ResponseEntity<String> tooLarge = send(UUID.randomUUID().toString(), oversized);
		assertThat(tooLarge.getStatusCode().value()).isEqualTo(413);
		assertThat(tooLarge.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);

		JsonNode timeline = getJson("/api/v1/customers/" + customer + "/timeline");
		assertThat(timeline.toString()).doesNotContain("INV-");
	}

	private ResponseEntity<String> send(String idempotencyKey, Object body) {
		return http.post()
			.uri("/api/v1/communications")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + API_KEY)
			.header("Idempotency-Key", idempotencyKey)
			.contentType(MediaType.APPLICATION_JSON)
			.body(body)
			.retrieve()
			.toEntity(String.class);
	}

	private static Map<String, Object> invoice(String customer, String number) {
		return Map.of("customer", customer, "template", "invoice", "purpose", "TRANSACTIONAL", "data",
				Map.of("invoiceNumber", number, "issueDate", "2026-11-01", "dueDate", "2026-11-30", "currency", "GBP",
						"lines",
						List.of(Map.of("description", "Electricity, October", "quantity", 1, "unitPrice", 84.20),
								Map.of("description", "Standing charge", "quantity", 31, "unitPrice", 0.45)),
						"total", 98.15));
	}

	private static Map<String, String> channelStatuses(JsonNode communication) {
		Map<String, String> statuses = new java.util.TreeMap<>();
		for (JsonNode delivery : communication.path("deliveries")) {
			statuses.put(delivery.path("channel").asString(), delivery.path("status").asString());
		}
		return statuses;
	}

	private static List<String> recipients(MimeMessage message) {
		try {
			return Stream.of(message.getAllRecipients()).map((address) -> address.toString().toLowerCase()).toList();
		}
		catch (Exception ex) {
			return List.of();
		}
	}

	private static void collectParts(Part part, List<String> contentTypes) throws Exception {
		contentTypes.add(part.getContentType().toLowerCase());
		if (part.getContent() instanceof Multipart multipart) {
			for (int i = 0; i < multipart.getCount(); i++) {
				collectParts(multipart.getBodyPart(i), contentTypes);
			}
		}
	}

	private static String htmlPart(Part part) throws Exception {
		if (part.isMimeType("text/html")) {
			return (String) part.getContent();
		}
		if (part.getContent() instanceof Multipart multipart) {
			for (int i = 0; i < multipart.getCount(); i++) {
				BodyPart child = multipart.getBodyPart(i);
				String html = htmlPart(child);
				if (html != null) {
					return html;
				}
			}
		}
		return null;
	}

	private static String firstMatch(String text, String regex) {
		Matcher matcher = Pattern.compile(regex).matcher(text);
		assertThat(matcher.find()).as("'%s' in the email", regex).isTrue();
		return matcher.group(1).replace("&amp;", "&");
	}

	private static String tamper(String link) {
		char last = link.charAt(link.length() - 1);
		return link.substring(0, link.length() - 1) + (last == 'A' ? 'B' : 'A');
	}

	private static String read(Path file) {
		try {
			return Files.readString(file);
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

}
