package org.ccm.delivery;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.ccm.core.Channel;
import org.ccm.core.Interaction;
import org.ccm.core.InteractionType;
import org.ccm.core.Purpose;
import org.ccm.core.Timeline;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The deliveries table and its status history. Every status change goes through here, so
 * that each one is kept in the history, published as {@link DeliveryStatusChanged} and,
 * where it means something to the customer relationship, written to the timeline.
 */
@Component
class Deliveries {

	// the template key travels with every status change, so that listeners need not ask
	private static final String COLUMNS = """
			id, communication_id, customer_id, channel, purpose, status, failure_reason, not_before,
			(SELECT c.template FROM communication c WHERE c.id = delivery.communication_id) AS template""";

	private final JdbcClient jdbc;

	private final ApplicationEventPublisher events;

	private final Timeline timeline;

	private final Clock clock;

	Deliveries(JdbcClient jdbc, ApplicationEventPublisher events, Timeline timeline, Clock clock) {
		this.clock = clock;
		this.jdbc = jdbc;
		this.events = events;
		this.timeline = timeline;
	}

	DeliveryRecord insert(UUID communicationId, UUID customerId, String template, Channel channel, Purpose purpose,
			DeliveryStatus status, @Nullable String reason, @Nullable Instant notBefore) {
		Instant now = Instant.now(this.clock);
		UUID id = UUID.randomUUID();
		// the delivery and its first history row in one statement: this runs for every
		// message
		this.jdbc.sql("""
				WITH inserted AS (
				  INSERT INTO delivery (id, communication_id, customer_id, channel, purpose, status, failure_reason,
				                        not_before, created_at, updated_at)
				  VALUES (:id, :communication, :customer, :channel, :purpose, :status, :reason, :notBefore, :now, :now)
				  RETURNING id, status, failure_reason)
				INSERT INTO delivery_status_history (delivery_id, status, at, reason)
				SELECT id, status, :now, failure_reason FROM inserted""")
			.param("id", id)
			.param("communication", communicationId)
			.param("customer", customerId)
			.param("channel", channel.name())
			.param("purpose", purpose.name())
			.param("status", status.name())
			.param("reason", reason)
			.param("notBefore", timestamp(notBefore))
			.param("now", timestamp(now))
			.update();
		DeliveryRecord delivery = new DeliveryRecord(id, communicationId, customerId, template, channel, purpose,
				status, reason, notBefore);
		published(delivery, status, reason, now, null);
		return delivery;
	}

	Optional<DeliveryRecord> find(UUID id) {
		return this.jdbc.sql("SELECT " + COLUMNS + " FROM delivery WHERE id = ?")
			.param(id)
			.query(Deliveries::record)
			.optional();
	}

	List<DeliveryRecord> forCommunication(UUID communicationId) {
		return this.jdbc.sql("SELECT " + COLUMNS + " FROM delivery WHERE communication_id = ? ORDER BY created_at, id")
			.param(communicationId)
			.query(Deliveries::record)
			.list();
	}

	/**
	 * Takes the delivery for sending under {@code claim}. Only one caller ever wins: a
	 * redelivered Kafka record finds the delivery claimed or sent and gets {@code false}.
	 * A delivery still {@code SENDING} is taken over only when it is held under one of
	 * {@code unsent}, claims whose attempts stopped before calling the provider; the
	 * claim is compared and replaced in one statement, so a copy of the same retry record
	 * cannot take it over a second time.
	 */
	boolean claim(UUID id, UUID claim, Collection<UUID> unsent) {
		return move(id, DeliveryStatus.SENDING, null, List.of(DeliveryStatus.QUEUED, DeliveryStatus.TEMPORARY_FAILURE),
				null, null, null, new Claim(claim, unsent));
	}

	static final String TAKEN_OVER = "claimed again: the previous attempt stopped before calling the provider";

	private record Claim(UUID claim, Collection<UUID> unsent) {

		// a PostgreSQL array literal, so that an empty list needs no special SQL
		String unsentArray() {
			return "{" + String.join(",", this.unsent.stream().map(UUID::toString).toList()) + "}";
		}

	}

	/**
	 * Moves the delivery to {@code status} if it currently is in one of {@code from}.
	 * @return whether it moved
	 */
	boolean transition(UUID id, DeliveryStatus status, @Nullable String reason, Collection<DeliveryStatus> from) {
		return transition(id, status, reason, from, null);
	}

	boolean transition(UUID id, DeliveryStatus status, @Nullable String reason, Collection<DeliveryStatus> from,
			@Nullable InteractionType interaction) {
		return move(id, status, reason, from, interaction, null, null, null);
	}

	/**
	 * Records that {@code provider} took the delivery (claimed for sending before), with
	 * its id for it.
	 * @return whether it moved to {@code SENT}
	 */
	boolean sent(UUID id, String provider, @Nullable String reference) {
		return move(id, DeliveryStatus.SENT, null, List.of(DeliveryStatus.SENDING), null, provider, reference, null);
	}

	// one statement moves the delivery and adds the history row: this runs several times
	// for every message sent
	private boolean move(UUID id, DeliveryStatus status, @Nullable String reason, Collection<DeliveryStatus> from,
			@Nullable InteractionType interaction, @Nullable String provider, @Nullable String reference,
			@Nullable Claim claim) {
		Instant now = Instant.now(this.clock);
		Optional<DeliveryRecord> moved = this.jdbc.sql("""
				WITH moved AS (
				  UPDATE delivery SET status = :status, updated_at = :now,
				         failure_reason = CASE WHEN status = 'SENDING' AND :status = 'SENDING' THEN :takenOver
				                               ELSE :reason END,
				         sent_at = CASE WHEN :status = 'SENT' THEN :now ELSE sent_at END,
				         not_before = CASE WHEN :status = 'DEFERRED' THEN not_before ELSE NULL END,
				         provider = COALESCE(CAST(:provider AS varchar), provider),
				         provider_reference = COALESCE(CAST(:reference AS varchar), provider_reference),
				         claim = CAST(:claim AS uuid)
				   WHERE id = :id AND (status IN (:from)
				         OR (status = 'SENDING' AND claim = ANY (CAST(:unsent AS uuid[]))))
				  RETURNING id, communication_id, customer_id, channel, purpose, status, failure_reason, not_before),
				history AS (
				  INSERT INTO delivery_status_history (delivery_id, status, at, reason)
				  SELECT id, status, :now, failure_reason FROM moved)
				SELECT moved.*, (SELECT c.template FROM communication c WHERE c.id = moved.communication_id) AS template
				  FROM moved""")
			.param("status", status.name())
			.param("reason", reason)
			.param("now", timestamp(now))
			.param("id", id)
			.param("from", from.stream().map(Enum::name).toList())
			.param("provider", provider)
			.param("reference", reference)
			.param("claim", (claim != null) ? claim.claim() : null)
			.param("unsent", (claim != null) ? claim.unsentArray() : "{}")
			.param("takenOver", TAKEN_OVER)
			.query(Deliveries::record)
			.optional();
		// the reason as written: a claim taken over says so
		moved.ifPresent((delivery) -> published(delivery, status, delivery.failureReason(), now, interaction));
		return moved.isPresent();
	}

	/**
	 * Records a status reported after sending (engagement, receipts) in the history; the
	 * current status only moves forward.
	 */
	void report(DeliveryRecord delivery, DeliveryStatus status, Instant at, InteractionType interaction) {
		boolean advances = delivery.status().isEngagement()
				&& status.engagementRank() > delivery.status().engagementRank();
		if (advances) {
			this.jdbc.sql("UPDATE delivery SET status = ?, updated_at = ? WHERE id = ? AND status = ?")
				.params(status.name(), timestamp(Instant.now(this.clock)), delivery.id(), delivery.status().name())
				.update();
		}
		changed(delivery, status, null, at, interaction);
	}

	/**
	 * Records what failed after the provider took the message; the delivery stays sent.
	 */
	void followUpFailure(UUID id, String failure) {
		this.jdbc.sql("UPDATE delivery SET follow_up_failure = ?, updated_at = ? WHERE id = ?")
			.params((failure.length() > 1000) ? failure.substring(0, 1000) : failure,
					timestamp(Instant.now(this.clock)), id)
			.update();
	}

	/**
	 * Records when the delivery, which failed temporarily, is tried again; null when no
	 * retry is left. Read only while the delivery is {@code TEMPORARY_FAILURE}.
	 */
	void nextAttemptAt(UUID id, @Nullable Instant at) {
		this.jdbc.sql("UPDATE delivery SET next_attempt_at = ? WHERE id = ?").params(timestamp(at), id).update();
	}

	/**
	 * Temporary failures of the delivery since it was last queued: the retries it used.
	 */
	int temporaryFailuresSinceQueued(UUID id) {
		return this.jdbc.sql("""
				SELECT count(*) FROM delivery_status_history
				 WHERE delivery_id = :id AND status = 'TEMPORARY_FAILURE'
				   AND id > COALESCE((SELECT max(id) FROM delivery_status_history
				                       WHERE delivery_id = :id AND status = 'QUEUED'), 0)""")
			.param("id", id)
			.query(Integer.class)
			.single();
	}

	/**
	 * Marketing deliveries of the customer queued or sent since {@code since}, oldest
	 * first.
	 */
	List<Instant> marketingSince(UUID customerId, Instant since) {
		return this.jdbc.sql("""
				SELECT created_at FROM delivery
				 WHERE customer_id = ? AND purpose = 'MARKETING' AND created_at >= ?
				   AND status NOT IN ('DEFERRED', 'SUPPRESSED', 'FELL_BACK', 'PERMANENT_FAILURE', 'TECHNICAL_FAILURE')
				 ORDER BY created_at""")
			.params(customerId, timestamp(since))
			.query((rs, row) -> rs.getTimestamp(1).toInstant())
			.list();
	}

	/**
	 * Takes deferred deliveries whose time has come and queues them again.
	 */
	List<DeliveryRecord> requeueDue(int limit) {
		List<UUID> due = this.jdbc.sql("""
				SELECT id FROM delivery WHERE status = 'DEFERRED' AND not_before <= ?
				 ORDER BY not_before LIMIT ? FOR UPDATE SKIP LOCKED""")
			.params(timestamp(Instant.now(this.clock)), limit)
			.query((rs, row) -> rs.getObject(1, UUID.class))
			.list();
		List<DeliveryRecord> queued = new ArrayList<>();
		for (UUID id : due) {
			if (transition(id, DeliveryStatus.QUEUED, null, List.of(DeliveryStatus.DEFERRED))) {
				find(id).ifPresent(queued::add);
			}
		}
		return queued;
	}

	/**
	 * Deliveries claimed for sending longer ago than {@code before}.
	 */
	List<UUID> claimedBefore(Instant before) {
		return this.jdbc.sql("SELECT id FROM delivery WHERE status = 'SENDING' AND updated_at < ? ORDER BY updated_at")
			.param(timestamp(before))
			.query(UUID.class)
			.list();
	}

	List<DeliveryView> views(UUID communicationId) {
		Map<UUID, List<StatusChange>> histories = new LinkedHashMap<>();
		this.jdbc.sql("""
				SELECT h.delivery_id, h.status, h.at, h.reason FROM delivery_status_history h
				  JOIN delivery d ON d.id = h.delivery_id
				 WHERE d.communication_id = ? ORDER BY h.id""").param(communicationId).query((rs) -> {
			histories.computeIfAbsent(rs.getObject(1, UUID.class), (key) -> new ArrayList<>())
				.add(new StatusChange(DeliveryStatus.valueOf(rs.getString(2)), rs.getTimestamp(3).toInstant(),
						rs.getString(4)));
		});
		Map<UUID, String> sentBy = new LinkedHashMap<>();
		Map<UUID, String> followUps = new LinkedHashMap<>();
		Map<UUID, Instant> nextAttempts = new LinkedHashMap<>();
		this.jdbc.sql("""
				SELECT id, provider, follow_up_failure, CASE WHEN status = 'TEMPORARY_FAILURE' THEN next_attempt_at END
				  FROM delivery WHERE communication_id = ?
				   AND (provider IS NOT NULL OR follow_up_failure IS NOT NULL
				        OR (status = 'TEMPORARY_FAILURE' AND next_attempt_at IS NOT NULL))""")
			.param(communicationId)
			.query((rs) -> {
				UUID id = rs.getObject(1, UUID.class);
				if (rs.getString(2) != null) {
					sentBy.put(id, rs.getString(2));
				}
				if (rs.getString(3) != null) {
					followUps.put(id, rs.getString(3));
				}
				if (rs.getTimestamp(4) != null) {
					nextAttempts.put(id, rs.getTimestamp(4).toInstant());
				}
			});
		return forCommunication(communicationId).stream()
			.map((d) -> new DeliveryView(d.id(), d.channel(), d.status(), d.failureReason(),
					List.copyOf(histories.getOrDefault(d.id(), List.of())), sentBy.get(d.id()), followUps.get(d.id()),
					nextAttempts.get(d.id())))
			.toList();
	}

	private void changed(DeliveryRecord delivery, DeliveryStatus status, @Nullable String reason, Instant at,
			@Nullable InteractionType interaction) {
		this.jdbc.sql("INSERT INTO delivery_status_history (delivery_id, status, at, reason) VALUES (?, ?, ?, ?)")
			.params(delivery.id(), status.name(), timestamp(at), reason)
			.update();
		published(delivery, status, reason, at, interaction);
	}

	/**
	 * Tells the listeners and the timeline about a change already in the history.
	 */
	private void published(DeliveryRecord delivery, DeliveryStatus status, @Nullable String reason, Instant at,
			@Nullable InteractionType interaction) {
		this.events.publishEvent(new DeliveryStatusChanged(delivery.communicationId(), delivery.id(),
				delivery.customerId(), delivery.template(), delivery.channel(), status, at, reason));
		InteractionType type = (interaction != null) ? interaction : interactionFor(status);
		if (type != null) {
			Map<String, Object> detail = new LinkedHashMap<>();
			detail.put("status", status.name());
			if (reason != null) {
				detail.put("reason", reason);
			}
			this.timeline.record(new Interaction(delivery.customerId(), type, delivery.channel(),
					delivery.communicationId(), delivery.id(), at, detail));
		}
	}

	private static @Nullable InteractionType interactionFor(DeliveryStatus status) {
		return switch (status) {
			case SENT -> InteractionType.SENT;
			case DELIVERED -> InteractionType.DELIVERED;
			case OPENED -> InteractionType.OPENED;
			case CLICKED -> InteractionType.CLICKED;
			case RESPONDED -> InteractionType.RESPONDED;
			case DEFERRED -> InteractionType.DEFERRED;
			case SUPPRESSED -> InteractionType.SUPPRESSED;
			case FELL_BACK -> InteractionType.FELL_BACK;
			case PERMANENT_FAILURE, TECHNICAL_FAILURE -> InteractionType.FAILED;
			case ACCEPTED, QUEUED, SENDING, TEMPORARY_FAILURE -> null;
		};
	}

	static @Nullable Timestamp timestamp(@Nullable Instant instant) {
		return (instant != null) ? Timestamp.from(instant) : null;
	}

	static @Nullable Instant instant(@Nullable Timestamp timestamp) {
		return (timestamp != null) ? timestamp.toInstant() : null;
	}

	private static DeliveryRecord record(ResultSet rs, int row) throws SQLException {
		Timestamp notBefore = rs.getTimestamp("not_before");
		return new DeliveryRecord(rs.getObject("id", UUID.class), rs.getObject("communication_id", UUID.class),
				rs.getObject("customer_id", UUID.class), rs.getString("template"),
				Channel.valueOf(rs.getString("channel")), Purpose.valueOf(rs.getString("purpose")),
				DeliveryStatus.valueOf(rs.getString("status")), rs.getString("failure_reason"),
				(notBefore != null) ? notBefore.toInstant() : null);
	}

}
