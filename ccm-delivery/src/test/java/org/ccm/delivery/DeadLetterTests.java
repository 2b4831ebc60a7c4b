package org.ccm.delivery;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.ccm.core.Channel;
import org.ccm.core.CustomerProfile;
import org.ccm.core.Purpose;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mail.javamail.JavaMailSenderImpl;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * An SMTP server that is down: the delivery is retried, then parked as a dead letter, and
 * sent exactly once when an operator replays it after the server is back.
 */
class DeadLetterTests extends DeliveryIntegrationTest {

	@Autowired
	JavaMailSenderImpl mailSender;

	@Autowired
	JsonMapper json;

	@AfterEach
	void smtpIsBack() {
		this.mailSender.setPort(mail.getSmtp().getPort());
	}

	@Test
	void aFailingSmtpServerIsRetriedThenParkedThenReplayedOnce() throws Exception {
		this.mailSender.setPort(closedPort());
		CustomerProfile customer = reachableEverywhere(unique("parked"), List.of(Channel.EMAIL));
		String address = customer.email().value();
		UUID id = send(customer);

		DeliveryView parked = on(settled(id), Channel.EMAIL);
		assertThat(parked.status()).isEqualTo(DeliveryStatus.TECHNICAL_FAILURE);
		assertThat(parked.history()).extracting(StatusChange::status)
			.containsExactly(DeliveryStatus.QUEUED, DeliveryStatus.SENDING, DeliveryStatus.TEMPORARY_FAILURE,
					DeliveryStatus.SENDING, DeliveryStatus.TEMPORARY_FAILURE, DeliveryStatus.SENDING,
					DeliveryStatus.TEMPORARY_FAILURE, DeliveryStatus.TECHNICAL_FAILURE);
		assertThat(ChannelDeliveryTests.receivedBy(address)).isEmpty();

		JsonNode letters = this.json.readTree(this.mvc.perform(get("/api/v1/dead-letters"))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString());
		JsonNode letter = null;
		for (JsonNode candidate : letters) {
			if (parked.id().toString().equals(candidate.path("deliveryId").asString())) {
				letter = candidate;
			}
		}
		assertThat(letter).as("dead letter of delivery " + parked.id()).isNotNull();
		assertThat(letter.path("originalTopic").asString()).isEqualTo("ccm.delivery.email");
		assertThat(letter.path("error").asString()).isNotBlank();
		String letterId = letter.path("id").asString();

		this.mailSender.setPort(mail.getSmtp().getPort());
		this.mvc.perform(post("/api/v1/dead-letters/{id}/replay", letterId))
			.andExpect(status().isAccepted())
			.andExpect(jsonPath("$.replays").value(1));
		await().atMost(Duration.ofSeconds(60))
			.until(() -> on(this.communications.find(id).orElseThrow(), Channel.EMAIL).status() == DeliveryStatus.SENT);
		assertThat(ChannelDeliveryTests.receivedBy(address)).hasSize(1);

		// a second replay finds the delivery sent: the claim keeps it from going out
		// twice
		this.mvc.perform(post("/api/v1/dead-letters/{id}/replay", letterId)).andExpect(status().isAccepted());
		UUID later = send(customer);
		settled(later);
		assertThat(ChannelDeliveryTests.receivedBy(address)).hasSize(2);
		assertThat(on(this.communications.find(id).orElseThrow(), Channel.EMAIL).history())
			.extracting(StatusChange::status)
			.endsWith(DeliveryStatus.TECHNICAL_FAILURE, DeliveryStatus.QUEUED, DeliveryStatus.SENDING,
					DeliveryStatus.SENT);

		this.mvc.perform(post("/api/v1/dead-letters/{id}/replay", UUID.randomUUID())).andExpect(status().isNotFound());
	}

	@Test
	void mailIsWrittenWithoutNaglesDelay() throws IOException {
		Object factory = this.mailSender.getJavaMailProperties().get("mail.smtp.socketFactory");
		assertThat(factory).isInstanceOf(javax.net.SocketFactory.class);
		try (java.net.Socket socket = ((javax.net.SocketFactory) factory).createSocket()) {
			assertThat(socket.getTcpNoDelay()).isTrue();
		}
	}

	private UUID send(CustomerProfile customer) {
		return this.communications
			.accept(new SendRequest(customer.externalId(), "invoice", Purpose.TRANSACTIONAL,
					Map.of("invoiceNumber", "INV-" + UUID.randomUUID()), null), unique("key"), "client-a")
			.communicationId();
	}

	private static int closedPort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
