package org.ccm.delivery;

import java.time.Clock;
import java.time.Instant;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.ccm.core.Channel;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import tools.jackson.databind.json.JsonMapper;

/**
 * Records parked on a dead-letter topic: kept in PostgreSQL for operators, the delivery
 * marked as a technical failure, and replayable once the cause is fixed. A replay
 * publishes the record again on its original topic; the worker's claim still guarantees
 * the message is sent at most once.
 */
@Component
public class DeadLetters {

	private final JdbcClient jdbc;

	private final JsonMapper json;

	private final DeliveryProperties properties;

	private final Deliveries deliveries;

	private final KafkaExternalization kafka;

	private final TransactionTemplate transaction;

	private final Clock clock;

	DeadLetters(JdbcClient jdbc, JsonMapper json, DeliveryProperties properties, Deliveries deliveries,
			KafkaExternalization kafka, PlatformTransactionManager transactionManager, Clock clock) {
		this.clock = clock;
		this.jdbc = jdbc;
		this.json = json;
		this.properties = properties;
		this.deliveries = deliveries;
		this.kafka = kafka;
		this.transaction = new TransactionTemplate(transactionManager);
	}

	@KafkaListener(id = "ccm-delivery-dead-letters", groupId = "ccm-delivery",
			topics = { "${ccm.delivery.topics.requested:ccm.communications.requested}.DLT",
					"${ccm.delivery.topics.email:ccm.delivery.email}.DLT",
					"${ccm.delivery.topics.sms:ccm.delivery.sms}.DLT",
					"${ccm.delivery.topics.print:ccm.delivery.print}.DLT",
					"${ccm.delivery.topics.portal:ccm.delivery.portal}.DLT" },
			properties = "auto.offset.reset=earliest")
	void onDeadLetter(ConsumerRecord<String, String> record) {
		String originalTopic = header(record, KafkaHeaders.DLT_ORIGINAL_TOPIC);
		if (originalTopic == null) {
			originalTopic = record.topic()
				.substring(0, record.topic().length() - DeliveryConfiguration.DEAD_LETTER_SUFFIX.length());
		}
		// a record that failed on a retry topic is replayed on its main topic
		int retry = originalTopic.indexOf(DeliveryConfiguration.RETRY_SUFFIX);
		if (retry > 0) {
			originalTopic = originalTopic.substring(0, retry);
		}
		String error = header(record, KafkaHeaders.DLT_EXCEPTION_MESSAGE);
		UUID deliveryId = deliveryId(originalTopic, record.value());
		if ((error == null || error.isBlank()) && deliveryId != null) {
			// the last attempt's classified reason says more than an empty header
			error = this.deliveries.find(deliveryId).map(DeliveryRecord::failureReason).orElse(null);
		}
		// the same dead-letter record read twice is stored once
		UUID id = UUID.nameUUIDFromBytes(
				(record.topic() + "/" + record.partition() + "/" + record.offset()).getBytes(StandardCharsets.UTF_8));
		String topic = originalTopic;
		String cause = error;
		this.transaction.executeWithoutResult((status) -> {
			int stored = this.jdbc.sql("""
					INSERT INTO dead_letter (id, original_topic, record_key, payload, error, delivery_id, received_at)
					VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING""")
				.params(id, topic, record.key(), (record.value() != null) ? record.value() : "", cause, deliveryId,
						Deliveries.timestamp(Instant.now(this.clock)))
				.update();
			if (stored == 1 && deliveryId != null) {
				this.deliveries.transition(deliveryId, DeliveryStatus.TECHNICAL_FAILURE,
						(cause != null) ? cause : "parked as a dead letter",
						List.of(DeliveryStatus.QUEUED, DeliveryStatus.SENDING, DeliveryStatus.TEMPORARY_FAILURE));
			}
		});
	}

	/**
	 * Parks a delivery that never reached Kafka's dead-letter topics (one in doubt after
	 * its worker stopped), so that it can be replayed like any other. Runs in the
	 * caller's transaction.
	 */
	void park(DeliveryRecord delivery, String reason) {
		UUID id = UUID.nameUUIDFromBytes(
				("parked/" + delivery.id() + "/" + Instant.now(this.clock)).getBytes(StandardCharsets.UTF_8));
		this.jdbc.sql("""
				INSERT INTO dead_letter (id, original_topic, record_key, payload, error, delivery_id, received_at)
				VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING""")
			.params(id, this.properties.topics().forChannel(delivery.channel()), delivery.customerId().toString(),
					this.json.writeValueAsString(delivery.queued()), reason, delivery.id(),
					Deliveries.timestamp(Instant.now(this.clock)))
			.update();
	}

	/**
	 * The newest dead letters first, at most {@code limit} (up to 1,000).
	 */
	public List<DeadLetter> list(int limit) {
		return this.jdbc.sql("SELECT * FROM dead_letter ORDER BY received_at DESC, id LIMIT ?")
			.param(Math.max(0, Math.min(limit, 1000)))
			.query(DeadLetters::deadLetter)
			.list();
	}

	public Optional<DeadLetter> find(UUID id) {
		return this.jdbc.sql("SELECT * FROM dead_letter WHERE id = ?")
			.param(id)
			.query(DeadLetters::deadLetter)
			.optional();
	}

	/**
	 * Publishes the record again on its original topic. A delivery parked as a technical
	 * failure is queued again first; one that was sent meanwhile stays sent.
	 */
	public Optional<DeadLetter> replay(UUID id) {
		Optional<DeadLetter> found = find(id);
		if (found.isEmpty()) {
			return found;
		}
		DeadLetter letter = found.get();
		UUID deliveryId = letter.deliveryId();
		if (deliveryId != null) {
			this.transaction.executeWithoutResult((status) -> this.deliveries.transition(deliveryId,
					DeliveryStatus.QUEUED, "replayed from dead letters", List.of(DeliveryStatus.TECHNICAL_FAILURE)));
		}
		this.kafka.sendRaw(letter.originalTopic(), letter.key(), letter.payload());
		this.jdbc.sql("UPDATE dead_letter SET replayed_at = ?, replays = replays + 1 WHERE id = ?")
			.params(Deliveries.timestamp(Instant.now(this.clock)), id)
			.update();
		return find(id);
	}

	private @Nullable UUID deliveryId(String originalTopic, @Nullable String payload) {
		if (payload == null) {
			return null;
		}
		for (Channel channel : Channel.values()) {
			if (this.properties.topics().forChannel(channel).equals(originalTopic)) {
				try {
					return this.json.readValue(payload, DeliveryQueued.class).deliveryId();
				}
				catch (RuntimeException ex) {
					return null;
				}
			}
		}
		return null;
	}

	private static @Nullable String header(ConsumerRecord<?, ?> record, String name) {
		String value = null;
		for (Header header : record.headers().headers(name)) {
			if (header.value() != null && header.value().length > 0) {
				value = new String(header.value(), StandardCharsets.UTF_8);
			}
		}
		return value;
	}

	private static DeadLetter deadLetter(ResultSet rs, int row) throws SQLException {
		Timestamp replayedAt = rs.getTimestamp("replayed_at");
		return new DeadLetter(rs.getObject("id", UUID.class), rs.getString("original_topic"),
				rs.getString("record_key"), rs.getString("payload"), rs.getString("error"),
				rs.getObject("delivery_id", UUID.class), rs.getTimestamp("received_at").toInstant(),
				(replayedAt != null) ? replayedAt.toInstant() : null, rs.getInt("replays"));
	}

}
