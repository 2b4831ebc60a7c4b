package org.ccm.tracking;

import java.time.ZoneId;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.ccm.core.Channel;
import org.ccm.core.ConsentChange;
import org.ccm.core.CustomerDetails;
import org.ccm.core.CustomerProfile;
import org.ccm.core.Customers;
import org.ccm.core.InteractionType;
import org.ccm.core.Purpose;
import org.ccm.tracking.TrackingToken.Delivery;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@TrackingIntegrationTest
class TrackingEndpointsTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	TrackingTokens tokens;

	@Autowired
	Customers customers;

	@Autowired
	PortalLinks portalLinks;

	@Autowired
	TrackingProperties properties;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	Engagement engagement;

	@Autowired
	RecordedInteractions recorded;

	CustomerProfile customer;

	Delivery delivery;

	@BeforeEach
	void createCustomer() {
		String externalId = "T-" + UUID.randomUUID();
		customer = customers.upsert(externalId,
				new CustomerDetails("Tracked Customer", Locale.UK, ZoneId.of("Europe/London"),
						externalId.toLowerCase(Locale.ROOT) + "@example.com", null, null, Map.of(),
						Map.of(Purpose.MARKETING, List.of(Channel.EMAIL)), null,
						List.of(new ConsentChange(Channel.EMAIL, Purpose.MARKETING, true, "test"))));
		delivery = new Delivery(UUID.randomUUID(), UUID.randomUUID(), Channel.EMAIL);
	}

	@Test
	void aClickRedirectsToTheSignedTargetAndIsRecorded() throws Exception {
		String token = tokens
			.sign(TrackingToken.click(customer.id(), delivery, "https://shop.example.com/offer?id=7&src=mail"));

		mvc.perform(get("/t/c/{token}", token))
			.andExpect(status().isFound())
			.andExpect(header().string(HttpHeaders.LOCATION, "https://shop.example.com/offer?id=7&src=mail"));

		await().untilAsserted(() -> assertThat(engagement.ofCustomer(customer.id()).clicks()).isEqualTo(1));
		assertThat(engagement.ofCustomer(customer.id()).clicked()).isEqualTo(1);
		assertThat(recorded.of(customer.id())).singleElement().satisfies((event) -> {
			assertThat(event.type()).isEqualTo(InteractionType.CLICKED.name());
			assertThat(event.customerId()).isEqualTo(customer.id());
			assertThat(event.detail()).containsEntry("url", "https://shop.example.com/offer?id=7&src=mail");
		});
	}

	@Test
	void aClickOnAPortalLinkOpensTheCustomersOwnInbox() throws Exception {
		String token = tokens
			.sign(TrackingToken.click(customer.id(), delivery, "https://ccm.example.com/portal/invoices/INV-7"));

		String location = mvc.perform(get("/t/c/{token}", token))
			.andExpect(status().isFound())
			.andReturn()
			.getResponse()
			.getHeader(HttpHeaders.LOCATION);

		assertThat(location).startsWith("https://ccm.example.com/portal/").doesNotContain("invoices");
		assertThat(portalLinks.verify(location.substring(location.lastIndexOf('/') + 1))).contains(customer.id());
		String elsewhere = tokens
			.sign(TrackingToken.click(customer.id(), delivery, "https://ccm.example.com/portalish/offer"));
		mvc.perform(get("/t/c/{token}", elsewhere))
			.andExpect(header().string(HttpHeaders.LOCATION, "https://ccm.example.com/portalish/offer"));
	}

	@Test
	void aClickOnAnOldMessagesPortalLinkLeadsToALinkAsOldAsTheMessage() throws Exception {
		// sent a day longer ago than portal links stay valid
		jdbc.sql("""
				INSERT INTO tracked_delivery (delivery_id, communication_id, customer_id, channel, sent_at)
				VALUES (?, ?, ?, 'EMAIL', ?)""")
			.params(delivery.deliveryId(), delivery.communicationId(), customer.id(),
					Timestamp.from(Instant.now().minus(properties.portalLinkValidity()).minus(Duration.ofDays(1))))
			.update();
		String token = tokens
			.sign(TrackingToken.click(customer.id(), delivery, "https://ccm.example.com/portal/invoices/INV-8"));

		String location = mvc.perform(get("/t/c/{token}", token))
			.andExpect(status().isFound())
			.andReturn()
			.getResponse()
			.getHeader(HttpHeaders.LOCATION);

		assertThat(location).startsWith("https://ccm.example.com/portal/");
		assertThat(portalLinks.verify(location.substring(location.lastIndexOf('/') + 1))).isEmpty();
	}

	@Test
	void aTamperedTruncatedOrUnsignedClickLinkIsRefusedAndGoesNowhere() throws Exception {
		String token = tokens.sign(TrackingToken.click(customer.id(), delivery, "https://shop.example.com/"));
		String payload = token.substring(0, token.indexOf('.'));
		char last = token.charAt(token.length() - 1);
		char first = token.charAt(0);
		List<String> invalid = List.of(token.substring(0, token.length() - 1) + ((last == 'A') ? 'B' : 'A'),
				((first == 'A') ? 'B' : 'A') + token.substring(1), token.substring(0, token.length() - 5), payload,
				payload + ".", tokens.sign(TrackingToken.open(customer.id(), delivery)), "not-a-token");
		for (String link : invalid) {
			MvcResult result = mvc.perform(get("/t/c/{token}", link))
				.andExpect(status().isBadRequest())
				.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
				.andExpect(jsonPath("$.status").value(400))
				.andExpect(jsonPath("$.errors[0].field").value("token"))
				.andReturn();
			assertThat(result.getResponse().getHeader(HttpHeaders.LOCATION)).as(link).isNull();
		}
		// refused before anything is queued for writing
		assertThat(engagement.ofCustomer(customer.id()).clicks()).isZero();
		assertThat(recorded.of(customer.id())).isEmpty();
	}

	@Test
	void thePixelIsAnUncachedGifAndRepeatedOpensAreCountedButRecordedOnce() throws Exception {
		String token = tokens.sign(TrackingToken.open(customer.id(), delivery));
		for (int i = 0; i < 3; i++) {
			mvc.perform(get("/t/o/{token}.gif", token))
				.andExpect(status().isOk())
				.andExpect(content().contentType(MediaType.IMAGE_GIF))
				.andExpect(content().bytes(TrackingEndpoints.PIXEL))
				.andExpect(
						header().string(HttpHeaders.CACHE_CONTROL, org.hamcrest.Matchers.containsString("no-store")));
		}

		EngagementCounts counts = await().until(() -> engagement.ofCustomer(customer.id()),
				(current) -> current.opens() == 3);
		assertThat(counts.opened()).isEqualTo(1);
		assertThat(recorded.of(customer.id())).singleElement()
			.satisfies((event) -> assertThat(event.type()).isEqualTo(InteractionType.OPENED.name()));
	}

	@Test
	void aTamperedPixelIsRefused() throws Exception {
		String token = tokens.sign(TrackingToken.open(customer.id(), delivery));
		String tampered = token.substring(0, 10) + ((token.charAt(10) == 'x') ? 'y' : 'x') + token.substring(11);
		mvc.perform(get("/t/o/{token}.gif", tampered))
			.andExpect(status().isBadRequest())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
		assertThat(engagement.ofCustomer(customer.id()).opens()).isZero();
	}

	@Test
	void oneClickUnsubscribeWithdrawsMarketingConsentForTheChannel() throws Exception {
		assertThat(customer.consents(Channel.EMAIL, Purpose.MARKETING)).isTrue();
		String token = tokens.sign(TrackingToken.unsubscribe(customer.id(), delivery));

		mvc.perform(get("/t/u/{token}", token))
			.andExpect(status().isOk())
			.andExpect(content().contentTypeCompatibleWith(MediaType.TEXT_HTML))
			.andExpect(content().string(org.hamcrest.Matchers.containsString("method=\"post\"")));
		assertThat(customers.findById(customer.id()).orElseThrow().consents(Channel.EMAIL, Purpose.MARKETING))
			.as("showing the page changes nothing")
			.isTrue();

		for (int i = 0; i < 2; i++) {
			mvc.perform(post("/t/u/{token}", token).contentType(MediaType.APPLICATION_FORM_URLENCODED)
				.content("List-Unsubscribe=One-Click")).andExpect(status().isOk());
		}

		CustomerProfile after = customers.findById(customer.id()).orElseThrow();
		assertThat(after.consents(Channel.EMAIL, Purpose.MARKETING)).isFalse();
		assertThat(after.consents(Channel.EMAIL, Purpose.TRANSACTIONAL)).isTrue();
		assertThat(recorded.of(customer.id())).singleElement()
			.satisfies((event) -> assertThat(event.type()).isEqualTo(InteractionType.UNSUBSCRIBED.name()));
	}

	@Test
	void anUnsignedUnsubscribeChangesNothing() throws Exception {
		String token = tokens.sign(TrackingToken.unsubscribe(customer.id(), delivery));
		String forged = token.substring(0, token.indexOf('.') + 1) + "AAAA";
		mvc.perform(post("/t/u/{token}", forged).contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.content("List-Unsubscribe=One-Click")).andExpect(status().isBadRequest());
		assertThat(customers.findById(customer.id()).orElseThrow().consents(Channel.EMAIL, Purpose.MARKETING)).isTrue();
		assertThat(recorded.of(customer.id())).isEmpty();
	}

}
