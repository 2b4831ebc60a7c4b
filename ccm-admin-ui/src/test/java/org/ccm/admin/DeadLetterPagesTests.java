package org.ccm.admin;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.ccm.delivery.DeadLetter;
import org.ccm.delivery.DeadLetters;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.utils.KafkaTestUtils;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Operators see what failed for good and replay it from the staff UI.
 */
@AdminIntegrationTest
class DeadLetterPagesTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	DeadLetters deadLetters;

	@Autowired
	EmbeddedKafkaBroker broker;

	@Test
	@WithMockUser(roles = "OPS")
	void aDeadLetterIsListedWithItsErrorAndReplayedWithTheFormsToken() throws Exception {
		String error = "mail server refused the connection " + UUID.randomUUID();
		DeadLetter letter = park(error);

		mvc.perform(get("/admin/dead-letters"))
			.andExpect(status().isOk())
			.andExpect(content().string(allOf(containsString(error), containsString("ccm.communications.requested"),
					containsString("/admin/dead-letters/" + letter.id() + "/replay"), containsString("name=\"_csrf\""),
					containsString("href=\"/admin/dead-letters\""))));

		mvc.perform(post("/admin/dead-letters/{id}/replay", letter.id())).andExpect(status().isForbidden());
		assertThat(deadLetters.find(letter.id()).orElseThrow().replays()).isZero();

		mvc.perform(post("/admin/dead-letters/{id}/replay", letter.id()).with(csrf()))
			.andExpect(status().is3xxRedirection())
			.andExpect(redirectedUrl("/admin/dead-letters"))
			.andExpect(flash().attribute("replayed", letter.id()));
		DeadLetter replayed = deadLetters.find(letter.id()).orElseThrow();
		assertThat(replayed.replays()).isEqualTo(1);
		assertThat(replayed.replayedAt()).isNotNull();

		mvc.perform(post("/admin/dead-letters/{id}/replay", UUID.randomUUID()).with(csrf()))
			.andExpect(status().isNotFound());
	}

	@Test
	@WithMockUser(roles = "MARKETER")
	void theMenuOffersDeadLettersToOperatorsOnly() throws Exception {
		mvc.perform(get("/admin"))
			.andExpect(status().isOk())
			.andExpect(content().string(org.hamcrest.Matchers.not(containsString("/admin/dead-letters"))));
	}

	/**
	 * A record on a dead-letter topic, as the retrying consumer leaves it there;
	 * replaying it routes a communication that does not exist, which does nothing.
	 */
	private DeadLetter park(String error) {
		Map<String, Object> props = KafkaTestUtils.producerProps(broker);
		String payload = """
				{"communicationId": "%s", "customerId": "%s", "template": "invoice",
				 "acceptedAt": "2026-12-02T08:00:00Z"}""".formatted(UUID.randomUUID(), UUID.randomUUID());
		try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(),
				new StringSerializer())) {
			ProducerRecord<String, String> record = new ProducerRecord<>("ccm.communications.requested.DLT", "key",
					payload);
			record.headers()
				.add("kafka_dlt-exception-message", error.getBytes(java.nio.charset.StandardCharsets.UTF_8));
			producer.send(record);
		}
		return await().atMost(Duration.ofSeconds(30))
			.until(() -> deadLetters.list(1000).stream().filter((l) -> error.equals(l.error())).findFirst(),
					java.util.Optional::isPresent)
			.orElseThrow();
	}

}
