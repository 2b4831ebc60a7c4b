package org.ccm;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A hard bounce of a sent email shows on the customer's timeline once as a bounce and
 * once as the address being suppressed, however many times and ways it is reported.
 */
class BounceTimelineTests extends RunningPlatform {

	@Test
	void aHardBounceIsOneBounceAndOneSuppressionOnTheTimeline() throws Exception {
		String customer = "BNC-" + UUID.randomUUID();
		assertThat(putCustomer(customer, List.of("EMAIL")).getStatusCode().value()).isEqualTo(201);
		String id = json.readTree(http.post()
			.uri("/api/v1/communications")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + API_KEY)
			.header("Idempotency-Key", UUID.randomUUID().toString())
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("customer", customer, "template", "invoice", "purpose", "TRANSACTIONAL", "data",
					Map.of("invoiceNumber", "INV-BNC-1", "issueDate", "2026-11-01", "dueDate", "2026-11-30", "currency",
							"GBP", "lines",
							List.of(Map.of("description", "Electricity, October", "quantity", 1, "unitPrice", 84.20)),
							"total", 84.20)))
			.retrieve()
			.body(String.class)).path("id").asString();
		String deliveryId = await().atMost(Duration.ofSeconds(60)).until(() -> {
			for (JsonNode delivery : getJson("/api/v1/communications/" + id).path("deliveries")) {
				if (delivery.path("channel").asString().equals("EMAIL")
						&& delivery.path("status").asString().equals("SENT")) {
					return delivery.path("id").asString();
				}
			}
			return null;
		}, (found) -> found != null);
		String address = customer.toLowerCase() + "@example.com";

		// the provider posts it, then posts it again under another event id
		for (String event : List.of("evt-1-" + deliveryId, "evt-2-" + deliveryId)) {
			ResponseEntity<String> answer = bounce("""
					{"events":[{"id":"%s","type":"bounce","bounce":"hard","deliveryId":"%s","recipient":"%s",
					 "status":"5.1.1","diagnostic":"550 5.1.1 user unknown"}]}""".formatted(event, deliveryId,
					address));
			assertThat(answer.getStatusCode().value()).as(answer.getBody()).isEqualTo(200);
		}

		List<String> types = await().atMost(Duration.ofSeconds(10))
			.until(() -> timelineTypes(customer), (found) -> found.contains("CONTACT_POINT_SUPPRESSED"));
		assertThat(types).filteredOn("BOUNCED"::equals).hasSize(1);
		assertThat(types).filteredOn("CONTACT_POINT_SUPPRESSED"::equals).hasSize(1);
	}

	private List<String> timelineTypes(String customer) {
		List<String> types = new ArrayList<>();
		for (JsonNode entry : getJson("/api/v1/customers/" + customer + "/timeline?limit=100").path("entries")) {
			if (entry.path("channel").asString().equals("EMAIL")) {
				types.add(entry.path("type").asString());
			}
		}
		return types;
	}

	private ResponseEntity<String> bounce(String body) throws Exception {
		long timestamp = Instant.now().getEpochSecond();
		Mac mac = Mac.getInstance("HmacSHA256");
		mac.init(new SecretKeySpec(BOUNCE_WEBHOOK_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
		mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
		String signature = "v1=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
		return http.post()
			.uri("/t/bounces")
			.header("X-CCM-Timestamp", String.valueOf(timestamp))
			.header("X-CCM-Signature", signature)
			.contentType(MediaType.APPLICATION_JSON)
			.body(body)
			.retrieve()
			.toEntity(String.class);
	}

}
