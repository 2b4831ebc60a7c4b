package org.ccm;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.ccm.security.ApiKeys;
import org.ccm.security.ApiScope;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

import tools.jackson.databind.JsonNode;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A client system registers a webhook with its API key, sends an invoice through the API
 * and hears every status change of it, signed as {@code docs/webhooks.md} describes.
 */
class StatusWebhookJourneyTests extends RunningPlatform {

	static final WireMockServer client = new WireMockServer(WireMockConfiguration.options().dynamicPort());

	@Autowired
	ApiKeys apiKeys;

	@BeforeAll
	static void start() {
		client.start();
	}

	@AfterAll
	static void stop() {
		client.stop();
	}

	@Test
	void aClientHearsTheStatusChangesOfWhatItsKeySentAndNothingElse() throws Exception {
		String key = apiKeys.issue("webhook-client-" + System.nanoTime(),
				Set.of(ApiScope.COMMUNICATIONS_WRITE, ApiScope.COMMUNICATIONS_READ));
		String otherKey = apiKeys.issue("webhook-other-" + System.nanoTime(), Set.of(ApiScope.COMMUNICATIONS_READ));
		String path = "/hooks/" + System.nanoTime();
		client.stubFor(post(urlEqualTo(path)).willReturn(aResponse().withStatus(200)));

		ResponseEntity<String> refused = call("PUT", "/api/v1/webhook", key, "{\"url\": \"ftp://client.example.com\"}");
		assertThat(refused.getStatusCode().value()).isEqualTo(400);
		assertThat(json.readTree(refused.getBody()).path("errors").get(0).path("field").asString()).isEqualTo("url");
		ResponseEntity<String> registered = call("PUT", "/api/v1/webhook", key,
				"{\"url\": \"" + client.baseUrl() + path + "\"}");
		assertThat(registered.getStatusCode().value()).isEqualTo(200);
		String secret = json.readTree(registered.getBody()).path("secret").asString();
		assertThat(secret).startsWith("whsec_");
		assertThat(call("GET", "/api/v1/webhook", key, null).getBody()).contains(path).doesNotContain(secret);
		assertThat(call("GET", "/api/v1/webhook", otherKey, null).getStatusCode().value()).isEqualTo(404);

		String customer = "WH-" + UUID.randomUUID();
		assertThat(putCustomer(customer, List.of("PORTAL")).getStatusCode().is2xxSuccessful()).isTrue();
		ResponseEntity<String> accepted = http.post()
			.uri("/api/v1/communications")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + key)
			.header("Idempotency-Key", "wh-" + customer)
			.contentType(MediaType.APPLICATION_JSON)
			.body("""
					{"customer": "%s", "template": "invoice", "purpose": "TRANSACTIONAL", "data": {
					  "invoiceNumber": "INV-WH-1", "issueDate": "2026-11-01", "dueDate": "2026-11-30", "currency": "GBP",
					  "lines": [{"description": "Electricity, October", "quantity": 1, "unitPrice": 84.20}], "total": 84.20}}
					"""
				.formatted(customer))
			.retrieve()
			.toEntity(String.class);
		assertThat(accepted.getStatusCode().value()).isEqualTo(202);
		String communicationId = json.readTree(accepted.getBody()).path("id").asString();

		List<LoggedRequest> received = await().atMost(Duration.ofSeconds(60))
			.until(() -> client.findAll(postRequestedFor(urlEqualTo(path))), (requests) -> requests.stream()
				.anyMatch((request) -> request.getBodyAsString().contains("\"SENT\"")));
		for (LoggedRequest request : received) {
			String timestamp = request.getHeader("X-CCM-Timestamp");
			assertThat(request.getHeader("X-CCM-Signature")).isEqualTo(signature(secret, timestamp, request.getBody()));
			JsonNode body = json.readTree(request.getBodyAsString());
			assertThat(body.path("communicationId").asString()).isEqualTo(communicationId);
			assertThat(body.path("type").asString()).isEqualTo("delivery.status_changed");
		}
		assertThat(received.get(0).getBodyAsString()).contains("\"QUEUED\"");

		JsonNode messages = json.readTree(call("GET", "/api/v1/webhook/messages", key, null).getBody());
		assertThat(messages.size()).isGreaterThanOrEqualTo(received.size());
		assertThat(messages.get(messages.size() - 1).path("state").asString()).isEqualTo("DELIVERED");
		assertThat(json.readTree(call("GET", "/api/v1/webhook/messages", otherKey, null).getBody()).size()).isZero();

		assertThat(call("DELETE", "/api/v1/webhook", key, null).getStatusCode().value()).isEqualTo(204);
		assertThat(call("GET", "/api/v1/webhook", key, null).getStatusCode().value()).isEqualTo(404);
	}

	/**
	 * The verification a client writes, as docs/webhooks.md shows it.
	 */
	private static String signature(String secret, String timestamp, byte[] body) throws Exception {
		Mac mac = Mac.getInstance("HmacSHA256");
		mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
		mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
		return "v1=" + java.util.HexFormat.of().formatHex(mac.doFinal(body));
	}

}
