package org.ccm.delivery;

import java.util.List;

import jakarta.mail.Session;
import org.ccm.core.Channel;
import org.ccm.core.CustomerProfile;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.JavaMailSenderImpl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The sending path as configured: consumer threads per channel, and the mail session the
 * email workers send through has sockets without Nagle's delay (with it, each message
 * over a connection stalls for about 40 ms).
 */
class SendingPathTests extends DeliveryIntegrationTest {

	@Autowired
	KafkaListenerEndpointRegistry listeners;

	@Autowired
	JavaMailSender mailSender;

	@Test
	void eachChannelTakesItsNumberOfConsumersOrTheDefault() {
		DeliveryProperties.Kafka kafka = new DeliveryProperties.Kafka(3, (short) 1, java.time.Duration.ofSeconds(10),
				java.time.Duration.ofMinutes(1), 3, new DeliveryProperties.Concurrency(null, 2, null, 1, null));
		assertThat(kafka.consumersFor(null)).isEqualTo(3);
		assertThat(kafka.consumersFor(Channel.EMAIL)).isEqualTo(2);
		assertThat(kafka.consumersFor(Channel.SMS)).isEqualTo(3);
		assertThat(kafka.consumersFor(Channel.PRINT)).isEqualTo(1);
	}

	@Test
	void theListenersRunTheConfiguredNumberOfConsumers() {
		assertThat(concurrency("ccm-delivery-email")).isEqualTo(1);
		assertThat(concurrency("ccm-delivery-routing")).isEqualTo(1);
		assertThat(concurrency("ccm-delivery-sms")).isEqualTo(1);
		assertThat(concurrency("ccm-delivery-print")).isEqualTo(1);
		assertThat(concurrency("ccm-delivery-portal")).isEqualTo(1);
	}

	@Test
	void emailIsSentOverSocketsWithoutNaglesDelay() throws Exception {
		Session session = ((JavaMailSenderImpl) this.mailSender).getSession();
		assertThat(session.getProperties().get("mail.smtp.socketFactory")).isNotNull()
			.satisfies((factory) -> assertThat(factory.getClass().getName())
				.isEqualTo("org.ccm.delivery.email.NoDelaySocketFactory"))
			.satisfies((factory) -> assertThat(((javax.net.SocketFactory) factory).createSocket().getTcpNoDelay())
				.isTrue());

		CustomerProfile customer = reachableEverywhere(unique("nodelay"), List.of(Channel.EMAIL));
		String answer = send(unique("key"), invoice(customer.externalId(), "INV-ND-1", null))
			.andExpect(status().isAccepted())
			.andReturn()
			.getResponse()
			.getContentAsString();
		CommunicationView view = settled(java.util.UUID.fromString(answer.replaceAll(".*\"id\":\"([^\"]+)\".*", "$1")));
		assertThat(on(view, Channel.EMAIL).status()).isEqualTo(DeliveryStatus.SENT);
	}

	private int concurrency(String listener) {
		return ((ConcurrentMessageListenerContainer<?, ?>) this.listeners.getListenerContainer(listener))
			.getConcurrency();
	}

}
