package org.ccm.delivery;

import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.jspecify.annotations.Nullable;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.modulith.events.IncompleteEventPublications;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import tools.jackson.databind.json.JsonMapper;

/**
 * Carries the module's outbox events to Kafka. Each event was stored with the transaction
 * that published it (Spring Modulith's JDBC publication registry); it is marked complete
 * only once the broker acknowledged it, so an unreachable broker leaves it incomplete and
 * it is sent again by {@link #resubmitIncomplete()} or on restart. Payloads are plain
 * JSON strings keyed by customer id, so one customer's messages stay in order and any
 * client can read them.
 */
@Component
class KafkaExternalization {

	private final KafkaTemplate<String, String> kafka;

	private final JsonMapper json;

	private final DeliveryProperties properties;

	private final IncompleteEventPublications incomplete;

	KafkaExternalization(KafkaTemplate<String, String> kafka, JsonMapper json, DeliveryProperties properties,
			IncompleteEventPublications incomplete) {
		this.kafka = kafka;
		this.json = json;
		this.properties = properties;
		this.incomplete = incomplete;
	}

	@ApplicationModuleListener
	void on(CommunicationAccepted event) {
		send(this.properties.topics().requested(), event.customerId(), event);
	}

	@ApplicationModuleListener
	void on(DeliveryQueued event) {
		send(this.properties.topics().forChannel(event.channel()), event.customerId(), event);
	}

	/**
	 * Publications that did not reach the broker (it was down, the send timed out) are
	 * tried again. One replica does it at a time.
	 */
	@Scheduled(fixedDelayString = "${ccm.delivery.kafka.resubmit-check:PT1M}",
			initialDelayString = "${ccm.delivery.kafka.resubmit-check:PT1M}")
	@SchedulerLock(name = "ccm-resubmit-incomplete-publications")
	void resubmitIncomplete() {
		this.incomplete.resubmitIncompletePublicationsOlderThan(this.properties.kafka().resubmitAfter());
	}

	void send(String topic, UUID key, Object event) {
		String payload = this.json.writeValueAsString(event);
		sendRaw(topic, key.toString(), payload);
	}

	void sendRaw(String topic, @Nullable String key, String payload) {
		try {
			this.kafka.send(topic, key, payload)
				.get(this.properties.kafka().sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while sending to " + topic, ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new IllegalStateException("Kafka did not acknowledge a record for " + topic, ex);
		}
	}

}
