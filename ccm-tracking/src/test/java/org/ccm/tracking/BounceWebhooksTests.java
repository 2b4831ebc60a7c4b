package org.ccm.tracking;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.ccm.core.Channel;
import org.ccm.core.ConsentChange;
import org.ccm.core.ContactState;
import org.ccm.core.CustomerDetails;
import org.ccm.core.CustomerProfile;
import org.ccm.core.Customers;
import org.ccm.core.Purpose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@TrackingIntegrationTest
class BounceWebhooksTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	Customers customers;

	@Autowired
	SentDeliveries sent;

	CustomerProfile customer;

	UUID deliveryId;

	@BeforeEach
	void customerWithAnEmailSent() {
		customer = customers.upsert("W-" + UUID.randomUUID(),
				new CustomerDetails("Webhook Customer", Locale.UK, ZoneId.of("Europe/London"),
						"hooked-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org", null, null, Map.of(),
						Map.of(Purpose.MARKETING, List.of(Channel.EMAIL)), null,
						List.of(new ConsentChange(Channel.EMAIL, Purpose.MARKETING, true, "test"))));
		deliveryId = sent.announced(customer, Channel.EMAIL, Instant.now()).deliveryId();
	}

	@Test
	void aSignedHardBounceMarksTheAddressAndAReplayCountsOnce() throws Exception {
		String body = """
				{"events":[{"id":"%s","type":"bounce","bounce":"hard","deliveryId":"%s","recipient":"%s",
				 "status":"5.1.1","diagnostic":"550 5.1.1 user unknown","providerField":"ignored"}]}"""
			.formatted("evt-" + deliveryId, deliveryId, customer.email().value());

		signed(body, Instant.now()).andExpect(status().isOk())
			.andExpect(jsonPath("$.recorded").value(1))
			.andExpect(jsonPath("$.duplicates").value(0));
		assertThat(emailState()).isEqualTo(ContactState.BOUNCED);

		signed(body, Instant.now()).andExpect(status().isOk())
			.andExpect(jsonPath("$.recorded").value(0))
			.andExpect(jsonPath("$.duplicates").value(1));
	}

	@Test
	void aComplaintFoundThroughTheReturnPathWithdrawsMarketingConsent() throws Exception {
		String body = """
				{"events":[{"id":"c-%s","type":"complaint","returnPath":"<bounces+%s@ccm.example.com>",
				 "feedbackType":"abuse","occurredAt":"2026-12-03T16:10:02Z"}]}""".formatted(deliveryId, deliveryId);

		signed(body, Instant.now()).andExpect(status().isOk()).andExpect(jsonPath("$.recorded").value(1));

		CustomerProfile now = customers.findById(customer.id()).orElseThrow();
		assertThat(now.email().state()).isEqualTo(ContactState.COMPLAINED);
		assertThat(now.consents()).noneMatch((consent) -> consent.channel() == Channel.EMAIL
				&& consent.purpose() == Purpose.MARKETING && consent.granted());
	}

	@Test
	void anUnknownDeliveryIsAnsweredAsUnmatched() throws Exception {
		signed("""
				{"events":[{"id":"u-%s","type":"bounce","bounce":"soft","deliveryId":"%s"}]}"""
			.formatted(UUID.randomUUID(), UUID.randomUUID()), Instant.now()).andExpect(status().isOk())
			.andExpect(jsonPath("$.unmatched").value(1));
	}

	@Test
	void aStaleTimestampIsRefusedEvenWhenSigned() throws Exception {
		signed(hardBounce(), Instant.now().minusSeconds(600)).andExpect(status().isForbidden())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.errors[0].field").value("X-CCM-Timestamp"));
		assertThat(emailState()).isEqualTo(ContactState.UNVERIFIED);
	}

	@Test
	void aWrongOrMissingSignatureOrATamperedBodyIsRefused() throws Exception {
		long now = Instant.now().getEpochSecond();
		String body = hardBounce();
		mvc.perform(post("/t/bounces").contentType(MediaType.APPLICATION_JSON)
			.header("X-CCM-Timestamp", now)
			.header("X-CCM-Signature", WebhookSignature.sign("not the secret", now, bytes(body)))
			.content(body))
			.andExpect(status().isForbidden())
			.andExpect(jsonPath("$.errors[0].field").value("X-CCM-Signature"));
		mvc.perform(
				post("/t/bounces").contentType(MediaType.APPLICATION_JSON).header("X-CCM-Timestamp", now).content(body))
			.andExpect(status().isForbidden());
		mvc.perform(post("/t/bounces").contentType(MediaType.APPLICATION_JSON)
			.header("X-CCM-Timestamp", now)
			.header("X-CCM-Signature",
					WebhookSignature.sign(TrackingIntegrationTest.BOUNCE_WEBHOOK_SECRET, now, bytes(body)))
			.content(body.replace("hard", "soft"))).andExpect(status().isForbidden());
		assertThat(emailState()).isEqualTo(ContactState.UNVERIFIED);
	}

	@Test
	void invalidEventsAreAnsweredWithAProblemNamingEachField() throws Exception {
		signed("""
				{"events":[{"id":"x1","type":"delivery","deliveryId":"%s"},
				           {"id":"x2","type":"bounce","bounce":"medium","deliveryId":"not-a-uuid"},
				           {"type":"complaint","returnPath":"bounces@ccm.example.com","occurredAt":"yesterday"}]}"""
			.formatted(deliveryId), Instant.now()).andExpect(status().isBadRequest())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.type").value("urn:ccm:problem:validation"))
			.andExpect(jsonPath("$.errors[*].field")
				.value(org.hamcrest.Matchers.contains("events[0].type", "events[1].bounce", "events[1].deliveryId",
						"events[2].id", "events[2].returnPath", "events[2].occurredAt")));
		signed("[1,2", Instant.now()).andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[0].field").value("body"));
		signed("{\"events\":[]}", Instant.now()).andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[0].field").value("events"));
		assertThat(emailState()).isEqualTo(ContactState.UNVERIFIED);
	}

	private String hardBounce() {
		return """
				{"events":[{"id":"h-%s","type":"bounce","bounce":"hard","deliveryId":"%s"}]}""".formatted(deliveryId,
				deliveryId);
	}

	private ResultActions signed(String body, Instant at) throws Exception {
		long timestamp = at.getEpochSecond();
		return mvc.perform(post("/t/bounces").contentType(MediaType.APPLICATION_JSON)
			.header("X-CCM-Timestamp", timestamp)
			.header("X-CCM-Signature",
					WebhookSignature.sign(TrackingIntegrationTest.BOUNCE_WEBHOOK_SECRET, timestamp, bytes(body)))
			.content(body));
	}

	private ContactState emailState() {
		return customers.findById(customer.id()).orElseThrow().email().state();
	}

	private static byte[] bytes(String body) {
		return body.getBytes(StandardCharsets.UTF_8);
	}

}
