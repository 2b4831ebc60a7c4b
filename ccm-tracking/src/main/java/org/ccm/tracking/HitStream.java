package org.ccm.tracking;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.NewTopic;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes opens and clicks in batches: a request hands its hit to Kafka (keyed by
 * customer) and answers at once; a batch listener writes many hits in one transaction,
 * because single-row commits would cap the rate at which a campaign's opens can be taken.
 * When the broker does not acknowledge in time, the request writes its hit itself, so
 * none is lost.
 */
@Component
class HitStream {

	private static final Logger log = LoggerFactory.getLogger(HitStream.class);

	private final KafkaTemplate<String, String> kafka;

	private final JsonMapper json;

	private final Interactions interactions;

	private final TrackingProperties.Events events;

	HitStream(KafkaTemplate<String, String> kafka, JsonMapper json, Interactions interactions,
			TrackingProperties properties) {
		this.kafka = kafka;
		this.json = json;
		this.interactions = interactions;
		this.events = properties.events();
	}

	/**
	 * Queues the hit for the batched writer, or writes it now when Kafka cannot take it.
	 */
	void record(TrackingToken token, Instant at, @Nullable String userAgent, @Nullable String address) {
		Hit hit = Hit.of(token, at, userAgent, address);
		try {
			kafka.send(events.topic(), hit.customerId().toString(), json.writeValueAsString(hit))
				.get(events.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			interactions.recordAll(List.of(hit));
		}
		catch (ExecutionException | TimeoutException | RuntimeException ex) {
			log.warn("Kafka did not take a {} hit; writing it directly", hit.kind(), ex);
			interactions.recordAll(List.of(hit));
		}
	}

	@KafkaListener(id = "ccm-tracking-hits", groupId = "ccm-tracking",
			topics = "${ccm.tracking.events.topic:ccm.tracking.events}", batch = "true",
			properties = "auto.offset.reset=earliest")
	void write(List<String> payloads) {
		List<Hit> hits = new ArrayList<>(payloads.size());
		for (String payload : payloads) {
			try {
				hits.add(json.readValue(payload, Hit.class));
			}
			catch (JacksonException ex) {
				log.warn("Skipping an unreadable tracking hit", ex);
			}
		}
		interactions.recordAll(hits);
	}

	@Bean
	static KafkaAdmin.NewTopics trackingTopics(TrackingProperties properties) {
		TrackingProperties.Events events = properties.events();
		// the dead-letter topic receives batches that keep failing (the shared Kafka
		// error handler)
		NewTopic topic = TopicBuilder.name(events.topic())
			.partitions(events.partitions())
			.replicas(events.replicas())
			.build();
		NewTopic deadLetters = TopicBuilder.name(events.topic() + ".DLT")
			.partitions(events.partitions())
			.replicas(events.replicas())
			.build();
		return new KafkaAdmin.NewTopics(topic, deadLetters);
	}

}
