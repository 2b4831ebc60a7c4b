package org.ccm.tracking;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.ccm.core.Channel;
import org.ccm.core.ConsentChange;
import org.ccm.core.CustomerDetails;
import org.ccm.core.CustomerProfile;
import org.ccm.core.Customers;
import org.ccm.core.InteractionType;
import org.ccm.core.Purpose;
import org.ccm.delivery.DeliveryStatus;
import org.ccm.delivery.DeliveryStatusChanged;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@TrackingIntegrationTest
class SmsWebhooksTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	Customers customers;

	@Autowired
	ApplicationEventPublisher publisher;

	@Autowired
	TransactionTemplate transactions;

	@Autowired
	RecordedInteractions recorded;

	@Autowired
	Engagement engagement;

	CustomerProfile customer;

	String phone;

	UUID deliveryId;

	@BeforeEach
	void customerWithAnSmsSent() {
		String externalId = "S-" + UUID.randomUUID();
		phone = "+447911123" + String.format("%03d", (int) (Math.random() * 1000));
		customer = customers.upsert(externalId,
				new CustomerDetails("Texted Customer", Locale.UK, ZoneId.of("Europe/London"), null, phone, null,
						Map.of(), Map.of(Purpose.MARKETING, List.of(Channel.SMS)), null,
						List.of(new ConsentChange(Channel.SMS, Purpose.MARKETING, true, "test"))));
		deliveryId = UUID.randomUUID();
		// what the delivery module publishes when the SMS left
		transactions.executeWithoutResult((tx) -> publisher.publishEvent(new DeliveryStatusChanged(UUID.randomUUID(),
				deliveryId, customer.id(), "invoice", Channel.SMS, DeliveryStatus.SENT, Instant.now(), null)));
		await().until(() -> engagement.ofCustomer(customer.id()).sent() == 1);
	}

	@Test
	void unsignedOrWronglySignedCallbacksAreForbidden() throws Exception {
		mvc.perform(post("/t/sms/status").queryParam("delivery", deliveryId.toString())
			.param("MessageStatus", "delivered")
			.param("To", phone)).andExpect(status().isForbidden());
		mvc.perform(post("/t/sms/status").queryParam("delivery", deliveryId.toString())
			.param("MessageStatus", "delivered")
			.param("To", phone)
			.header("X-Twilio-Signature", "bm90IGEgc2lnbmF0dXJl")).andExpect(status().isForbidden());
		// signed for another delivery than the one in the URL
		MockHttpServletRequestBuilder moved = signed("/t/sms/status?delivery=" + UUID.randomUUID(),
				Map.of("MessageStatus", "delivered", "To", phone));
		mvc.perform(moved.queryParam("delivery", deliveryId.toString())).andExpect(status().isForbidden());
		mvc.perform(post("/t/sms/inbound").param("From", phone).param("Body", "STOP"))
			.andExpect(status().isForbidden());

		assertThat(recorded.of(customer.id())).isEmpty();
		assertThat(customers.findById(customer.id()).orElseThrow().consents(Channel.SMS, Purpose.MARKETING)).isTrue();
	}

	@Test
	void aSignedReceiptIsRecordedAndAStopFromThatNumberWithdrawsSmsMarketing() throws Exception {
		mvc.perform(signed("/t/sms/status?delivery=" + deliveryId,
				Map.of("MessageStatus", "delivered", "To", phone, "MessageSid", "SM123")))
			.andExpect(status().isNoContent());
		assertThat(recorded.of(customer.id())).singleElement().satisfies((event) -> {
			assertThat(event.type()).isEqualTo(InteractionType.DELIVERED.name());
			assertThat(event.customerId()).isEqualTo(customer.id());
			assertThat(event.deliveryId()).isEqualTo(deliveryId);
		});

		mvc.perform(signed("/t/sms/inbound", Map.of("From", phone, "Body", " Stop ", "MessageSid", "SM456")))
			.andExpect(status().isOk());

		CustomerProfile after = customers.findById(customer.id()).orElseThrow();
		assertThat(after.consents(Channel.SMS, Purpose.MARKETING)).isFalse();
		assertThat(recorded.of(customer.id())).anySatisfy((event) -> {
			assertThat(event.type()).isEqualTo(InteractionType.UNSUBSCRIBED.name());
			assertThat(event.channel()).isEqualTo(Channel.SMS);
		});
	}

	@Test
	void otherRepliesChangeNothing() throws Exception {
		mvc.perform(signed("/t/sms/status?delivery=" + deliveryId, Map.of("MessageStatus", "delivered", "To", phone)))
			.andExpect(status().isNoContent());
		mvc.perform(signed("/t/sms/inbound", Map.of("From", phone, "Body", "Stop sending me invoices by post?")))
			.andExpect(status().isOk());
		assertThat(customers.findById(customer.id()).orElseThrow().consents(Channel.SMS, Purpose.MARKETING)).isTrue();
	}

	/**
	 * Signs like Twilio: HMAC-SHA1 over the full URL followed by the sorted form
	 * parameters.
	 */
	static MockHttpServletRequestBuilder signed(String pathAndQuery, Map<String, String> form) throws Exception {
		StringBuilder data = new StringBuilder("https://ccm.example.com" + pathAndQuery);
		new TreeMap<>(form).forEach((name, value) -> data.append(name).append(value));
		Mac mac = Mac.getInstance("HmacSHA1");
		mac.init(new SecretKeySpec(TrackingIntegrationTest.TWILIO_TOKEN.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
		String signature = Base64.getEncoder()
			.encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
		String path = pathAndQuery.contains("?") ? pathAndQuery.substring(0, pathAndQuery.indexOf('?')) : pathAndQuery;
		MockHttpServletRequestBuilder request = post(path).header("X-Twilio-Signature", signature);
		if (pathAndQuery.contains("?")) {
			String[] query = pathAndQuery.substring(pathAndQuery.indexOf('?') + 1).split("=", 2);
			request.queryParam(query[0], query[1]);
		}
		form.forEach(request::param);
		return request;
	}

}
