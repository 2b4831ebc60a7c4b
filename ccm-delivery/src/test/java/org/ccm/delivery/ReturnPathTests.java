package org.ccm.delivery;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.mail.internet.MimeMessage;
import org.ccm.core.Channel;
import org.ccm.core.CustomerProfile;
import org.ccm.core.Purpose;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With a return path configured, each message's envelope sender names its delivery
 * (VERP), so that a bounce finds its delivery; the delivery header stays.
 */
class ReturnPathTests extends DeliveryIntegrationTest {

	@Test
	void theEnvelopeSenderCarriesTheDeliveryId() throws Exception {
		CustomerProfile customer = reachableEverywhere(unique("verp"), List.of(Channel.EMAIL));
		UUID id = this.communications
			.accept(new SendRequest(customer.externalId(), "invoice", Purpose.TRANSACTIONAL,
					Map.of("invoiceNumber", "INV-" + UUID.randomUUID()), null), unique("key"), "client-a")
			.communicationId();
		DeliveryView email = on(settled(id), Channel.EMAIL);
		assertThat(email.status()).isEqualTo(DeliveryStatus.SENT);

		MimeMessage received = ChannelDeliveryTests.receivedBy(customer.email().value()).get(0);
		assertThat(received.getHeader("Return-Path", null)).isEqualTo("<bounces+" + email.id() + "@ccm.example>");
		assertThat(received.getHeader("X-CCM-Delivery", null)).isEqualTo(email.id().toString());
		assertThat(received.getFrom()[0].toString()).isEqualTo("Billing <billing@example.com>");
	}

}
