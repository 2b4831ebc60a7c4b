package org.ccm.delivery;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

import org.ccm.core.Channel;
import org.ccm.core.CustomerProfile;
import org.ccm.core.Customers;
import org.ccm.core.Interaction;
import org.ccm.core.InteractionType;
import org.ccm.core.Purpose;
import org.ccm.core.Timeline;
import org.ccm.core.UnknownCustomerException;
import org.ccm.templates.Templates;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Communications as the rest of the platform sees them: accept a send, ask for its status
 * and its archived documents, and record engagement against a delivery.
 *
 * <h2>Routing policy</h2> An accepted communication is routed once, by the consumer of
 * {@code ccm.communications.requested}:
 * <ul>
 * <li>A channel is usable when the template has a version for it, the customer consents
 * to it for the purpose (transactional unless objected, marketing only with a grant) and
 * has a reachable contact point for it.</li>
 * <li>A <em>transactional</em> communication without {@link SendRequest#channels()
 * channels} goes to <em>each</em> usable channel of the customer's preference; unusable
 * ones are {@link DeliveryStatus#SUPPRESSED SUPPRESSED} with the reason. When none is
 * usable it falls back to the first usable channel of the default order (email, SMS,
 * portal, print), and the preferred ones become {@link DeliveryStatus#FELL_BACK
 * FELL_BACK}: a transactional document reaches the customer if any channel works.</li>
 * <li>A <em>marketing</em> communication (and any communication of a customer without a
 * preference, who gets the default order) goes to the <em>first usable</em> channel only;
 * unusable channels before it are {@code FELL_BACK}, and when none is usable every
 * candidate is {@code SUPPRESSED}.</li>
 * <li>When the provider refuses a delivery for good
 * ({@link DeliveryStatus#PERMANENT_FAILURE}, also a hard bounce reported later) and no
 * other delivery of the communication is still on its way or sent, the communication
 * moves on to the next usable channel not tried yet (down the preference; for
 * transactional ones on through the default order), and the failed delivery becomes
 * {@code FELL_BACK}.</li>
 * <li>With explicit {@code channels} it goes to <em>each</em> of them; an unusable one is
 * {@code SUPPRESSED} and there is no fallback.</li>
 * <li>Marketing only: on interrupting channels (email and SMS by default) nothing is sent
 * during the customer's quiet hours (their own window, else the configured one, in their
 * time zone); and a customer receives at most {@code ccm.delivery.marketing.max-per-day}
 * marketing deliveries in any rolling 24 hours and {@code max-per-week} in any rolling 7
 * days. Such a delivery is {@link DeliveryStatus#DEFERRED DEFERRED} until the window ends
 * or the cap frees up, and a scheduled job queues it again then. Transactional
 * communications are never deferred.</li>
 * </ul>
 * Every queued delivery is sent at most once: the channel worker claims it in PostgreSQL
 * before it calls a provider.
 */
@Service
public class Communications {

	/**
	 * The request attribute under which the security layer leaves the id of the API key
	 * that authenticated the request.
	 */
	public static final String API_KEY_ATTRIBUTE = "org.ccm.delivery.apiKeyId";

	private static final TypeReference<Map<String, Object>> DATA = new TypeReference<>() {
	};

	private static final TypeReference<List<Channel>> CHANNELS = new TypeReference<>() {
	};

	/**
	 * Writes a request the same way whatever the order of its keys, for the idempotency
	 * hash.
	 */
	private static final JsonMapper CANONICAL = JsonMapper.builder()
		.enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
		.enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
		.build();

	private final JdbcClient jdbc;

	private final Customers customers;

	private final Templates templates;

	private final Timeline timeline;

	private final ApplicationEventPublisher events;

	private final JsonMapper json;

	private final Deliveries deliveries;

	private final Router router;

	private final DeliveryMetrics metrics;

	private final Clock clock;

	Communications(JdbcClient jdbc, Customers customers, Templates templates, Timeline timeline,
			ApplicationEventPublisher events, JsonMapper json, Deliveries deliveries, Router router,
			DeliveryMetrics metrics, Clock clock) {
		this.metrics = metrics;
		this.clock = clock;
		this.jdbc = jdbc;
		this.customers = customers;
		this.templates = templates;
		this.timeline = timeline;
		this.events = events;
		this.json = json;
		this.deliveries = deliveries;
		this.router = router;
	}

	/**
	 * Accepts a send exactly once per idempotency key and client. The communication and
	 * the event that starts its delivery are committed together.
	 * @throws IdempotencyConflictException when the key was used before with another body
	 * @throws UnknownCustomerException when no customer has the request's external id
	 * @throws org.ccm.templates.UnknownTemplateException when the template is not
	 * published
	 * @throws org.ccm.templates.InvalidTemplateDataException when the data does not fit
	 * the template
	 */
	@Transactional
	public Acceptance accept(SendRequest request, String idempotencyKey, String clientId) {
		return accept(request, idempotencyKey, clientId, null);
	}

	/**
	 * Accepts a send like {@link #accept(SendRequest, String, String)}, composed with the
	 * given template version instead of whichever version is published when the document
	 * is composed (campaigns pin the version at launch).
	 * @param templateVersion a version of the template, or null for the published one
	 * @throws org.ccm.templates.UnknownTemplateException when the template or the version
	 * does not exist
	 */
	@Transactional
	public Acceptance accept(SendRequest request, String idempotencyKey, String clientId,
			@Nullable Integer templateVersion) {
		return accept(request, idempotencyKey, clientId, templateVersion, null);
	}

	/**
	 * Accepts a send like {@link #accept(SendRequest, String, String, Integer)} and
	 * remembers the API key that sent it, whose status webhook then hears of its
	 * deliveries.
	 */
	@Transactional
	public Acceptance accept(SendRequest request, String idempotencyKey, String clientId,
			@Nullable Integer templateVersion, @Nullable UUID apiKeyId) {
		return accept(request, idempotencyKey, clientId, templateVersion, apiKeyId, true).acceptance();
	}

	/**
	 * Accepts a send like {@link #accept(SendRequest, String, String, Integer)} and
	 * routes it in the same transaction, instead of leaving that to the routing consumer:
	 * its deliveries are queued when this commits. For callers already off a request's
	 * path (the campaign engine accepting handed-over recipients), where waiting for
	 * routing costs no one an answer; it saves each message a publication, a Kafka round
	 * trip and a transaction. A replayed idempotency key routes nothing again.
	 * @param beforeRouting runs in the transaction once the communication exists (or was
	 * found for a replayed key), before routing: a caller that follows the delivery
	 * statuses of its communications records the communication here, since routing may
	 * already decide some of them (a suppressed channel)
	 */
	@Transactional
	public Acceptance acceptAndRoute(SendRequest request, String idempotencyKey, String clientId,
			@Nullable Integer templateVersion, Consumer<Acceptance> beforeRouting) {
		Accepted accepted = accept(request, idempotencyKey, clientId, templateVersion, null, false);
		beforeRouting.accept(accepted.acceptance());
		if (accepted.customer() != null) {
			// inserted as routed and read a moment ago in this transaction: routing need
			// read neither again
			this.router.routeAccepted(accepted.acceptance().communicationId(), accepted.customer(), request.purpose(),
					accepted.channels(), request.template());
		}
		return accepted.acceptance();
	}

	/**
	 * An acceptance and, unless the key was replayed, the customer it was made for and
	 * the channels the request named.
	 */
	private record Accepted(Acceptance acceptance, @Nullable CustomerProfile customer,
			@Nullable List<Channel> channels) {
	}

	private Accepted accept(SendRequest request, String idempotencyKey, String clientId,
			@Nullable Integer templateVersion, @Nullable UUID apiKeyId, boolean handToRouting) {
		String hash = hash(request);
		UUID id = UUID.randomUUID();
		Instant now = Instant.now(this.clock);
		// A concurrent insert of the same key waits here until the first transaction
		// ends, then
		// finds its row: two submits of one key never create two communications.
		int claimed = this.jdbc.sql("""
				INSERT INTO idempotency_key (client_id, idempotency_key, request_hash, communication_id, created_at)
				VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""")
			.params(clientId, idempotencyKey, hash, id, Timestamp.from(now))
			.update();
		if (claimed == 0) {
			return new Accepted(replay(idempotencyKey, clientId, hash), null, null);
		}
		CustomerProfile customer = this.customers.findByExternalId(request.customer())
			.orElseThrow(() -> new UnknownCustomerException(request.customer()));
		if (templateVersion == null) {
			this.templates.validate(request.template(), request.data());
		}
		else {
			this.templates.validate(request.template(), templateVersion, request.data());
		}
		List<Channel> channels = (request.channels() != null) ? request.channels().stream().distinct().toList() : null;
		// routed in this transaction when not handed to routing (see acceptAndRoute)
		this.jdbc.sql("""
				INSERT INTO communication (id, client_id, customer_id, customer_external_id, template, purpose, data,
				                           requested_channels, accepted_at, template_version, api_key_id, routed_at)
				VALUES (?, ?, ?, ?, ?, ?, CAST(? AS jsonb), CAST(? AS jsonb), ?, ?, ?, ?)""")
			.params(id, clientId, customer.id(), customer.externalId(), request.template(), request.purpose().name(),
					this.json.writeValueAsString(request.data()),
					(channels != null) ? this.json.writeValueAsString(channels) : null, Timestamp.from(now),
					templateVersion, apiKeyId, handToRouting ? null : Timestamp.from(now))
			.update();
		this.timeline.record(new Interaction(customer.id(), InteractionType.REQUESTED, null, id, null, now,
				Map.of("template", request.template(), "purpose", request.purpose().name())));
		if (handToRouting) {
			this.events.publishEvent(new CommunicationAccepted(id, customer.id(), request.template(), now));
		}
		Purpose purpose = request.purpose();
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
			@Override
			public void afterCommit() {
				Communications.this.metrics.accepted(purpose);
			}
		});
		return new Accepted(new Acceptance(id, now, false), customer, channels);
	}

	private Acceptance replay(String idempotencyKey, String clientId, String hash) {
		record Earlier(String hash, UUID communicationId, Instant acceptedAt) {
		}
		Earlier earlier = this.jdbc.sql("""
				SELECT i.request_hash, c.id, c.accepted_at FROM idempotency_key i
				  JOIN communication c ON c.id = i.communication_id
				 WHERE i.client_id = ? AND i.idempotency_key = ?""")
			.params(clientId, idempotencyKey)
			.query((rs, row) -> new Earlier(rs.getString(1), rs.getObject(2, UUID.class),
					rs.getTimestamp(3).toInstant()))
			.optional()
			.orElseThrow(() -> new IllegalStateException("idempotency key without communication"));
		if (!earlier.hash().equals(hash)) {
			throw new IdempotencyConflictException(idempotencyKey);
		}
		return new Acceptance(earlier.communicationId(), earlier.acceptedAt(), true);
	}

	/**
	 * The communication with each delivery's status and history, read from one snapshot
	 * so that the two agree.
	 */
	@Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
	public Optional<CommunicationView> find(UUID id) {
		return record(id).map(this::view);
	}

	@Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
	public List<CommunicationView> recent(int limit) {
		return this.jdbc.sql("SELECT * FROM communication ORDER BY accepted_at DESC, id LIMIT ?")
			.param(Math.max(0, Math.min(limit, 1000)))
			.query(this::communication)
			.list()
			.stream()
			.map(this::view)
			.toList();
	}

	/**
	 * Deliveries of communications accepted since {@code since} that failed for good,
	 * newest change first: found through the communications' acceptance time, so the read
	 * stays on indexes however many deliveries there are.
	 */
	@Transactional(readOnly = true)
	public List<Failure> failures(Instant since, int limit) {
		return this.jdbc.sql("""
				SELECT c.id, c.customer_external_id, c.template, d.channel, d.status, d.failure_reason, d.updated_at
				  FROM communication c JOIN delivery d ON d.communication_id = c.id
				 WHERE c.accepted_at >= ? AND d.status IN ('PERMANENT_FAILURE', 'TECHNICAL_FAILURE')
				 ORDER BY d.updated_at DESC, d.id LIMIT ?""")
			.params(Timestamp.from(since), Math.max(0, Math.min(limit, 1000)))
			.query((rs, row) -> new Failure(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
					Channel.valueOf(rs.getString(4)), DeliveryStatus.valueOf(rs.getString(5)), rs.getString(6),
					rs.getTimestamp(7).toInstant()))
			.list();
	}

	/**
	 * A delivery that failed for good.
	 *
	 * @param customer the customer's external id
	 * @param reason what the provider or the worker said
	 */
	public record Failure(UUID communicationId, String customer, String template, Channel channel,
			DeliveryStatus status, @Nullable String reason, Instant at) {

	}

	/**
	 * Messages handed to a provider and failed sending attempts (temporary ones included,
	 * as they are retried) per minute and channel since {@code since}, oldest first.
	 * Every instance writes the tables these come from, so they are the whole platform's
	 * figures: sent from the deliveries' send time (read from an index alone), failed
	 * attempts from the status history's failure rows.
	 */
	@Transactional(readOnly = true)
	public List<MinuteFigures> perMinute(Instant since) {
		Map<MinuteFigures, long[]> figures = new TreeMap<>(
				Comparator.comparing(MinuteFigures::minute).thenComparing(MinuteFigures::channel));
		this.jdbc.sql("""
				SELECT date_trunc('minute', sent_at), channel, count(*) FROM delivery
				 WHERE sent_at >= ? GROUP BY 1, 2""").param(Timestamp.from(since)).query((rs) -> {
			figures.computeIfAbsent(minute(rs), (k) -> new long[2])[0] += rs.getLong(3);
		});
		this.jdbc.sql("""
				SELECT date_trunc('minute', h.at), d.channel, count(*)
				  FROM delivery_status_history h JOIN delivery d ON d.id = h.delivery_id
				 WHERE h.at >= ? AND h.status IN ('TEMPORARY_FAILURE', 'PERMANENT_FAILURE', 'TECHNICAL_FAILURE')
				 GROUP BY 1, 2""").param(Timestamp.from(since)).query((rs) -> {
			figures.computeIfAbsent(minute(rs), (k) -> new long[2])[1] += rs.getLong(3);
		});
		return figures.entrySet()
			.stream()
			.map((entry) -> new MinuteFigures(entry.getKey().minute(), entry.getKey().channel(), entry.getValue()[0],
					entry.getValue()[1]))
			.toList();
	}

	private static MinuteFigures minute(ResultSet rs) throws SQLException {
		return new MinuteFigures(rs.getTimestamp(1).toInstant(), Channel.valueOf(rs.getString(2)), 0, 0);
	}

	/**
	 * What one channel sent and failed to send in the minute starting {@code minute}.
	 */
	public record MinuteFigures(Instant minute, Channel channel, long sent, long failed) {

	}

	/**
	 * The print batches of the days from {@code from} on, newest first.
	 */
	@Transactional(readOnly = true)
	public List<PrintBatch> printBatches(LocalDate from) {
		return this.jdbc.sql("""
				SELECT batch_date, documents, opened_at, closed_at FROM print_batch
				 WHERE batch_date >= ? ORDER BY batch_date DESC""")
			.param(from)
			.query((rs, row) -> new PrintBatch(rs.getObject(1, LocalDate.class), rs.getInt(2),
					rs.getTimestamp(3).toInstant(),
					(rs.getTimestamp(4) != null) ? rs.getTimestamp(4).toInstant() : null))
			.list();
	}

	/**
	 * One day's print batch: open while letters are added, closed once handed to the
	 * printer.
	 */
	public record PrintBatch(LocalDate date, int documents, Instant openedAt, @Nullable Instant closedAt) {

	}

	/**
	 * Where each of the communications stands, read in one query; unknown ids are left
	 * out.
	 */
	@Transactional(readOnly = true)
	public List<CommunicationOutcome> outcomes(Collection<UUID> communicationIds) {
		if (communicationIds.isEmpty()) {
			return List.of();
		}
		Map<UUID, List<DeliveryView>> deliveries = new LinkedHashMap<>();
		this.jdbc.sql("SELECT id FROM communication WHERE id = ANY(?)")
			.param(communicationIds.toArray(UUID[]::new))
			.query(UUID.class)
			.list()
			.forEach((id) -> deliveries.put(id, new ArrayList<>()));
		this.jdbc.sql("""
				SELECT communication_id, id, channel, status, failure_reason, provider, follow_up_failure,
				       CASE WHEN status = 'TEMPORARY_FAILURE' THEN next_attempt_at END FROM delivery
				 WHERE communication_id = ANY(?) ORDER BY created_at, id""")
			.param(communicationIds.toArray(UUID[]::new))
			.query((rs) -> {
				deliveries.get(rs.getObject(1, UUID.class))
					.add(new DeliveryView(rs.getObject(2, UUID.class), Channel.valueOf(rs.getString(3)),
							DeliveryStatus.valueOf(rs.getString(4)), rs.getString(5), List.of(), rs.getString(6),
							rs.getString(7), Deliveries.instant(rs.getTimestamp(8))));
			});
		return deliveries.entrySet()
			.stream()
			.map((entry) -> CommunicationOutcome.of(entry.getKey(), entry.getValue()))
			.toList();
	}

	/**
	 * The document last sent on the channel, exactly as it left the platform.
	 */
	public Optional<ArchivedDocument> document(UUID communicationId, Channel channel) {
		return this.jdbc.sql("""
				SELECT content_type, filename, content FROM archived_document
				 WHERE communication_id = ? AND channel = ? ORDER BY archived_at DESC LIMIT 1""")
			.params(communicationId, channel.name())
			.query((rs, row) -> new ArchivedDocument(rs.getString(1), rs.getString(2), rs.getBytes(3)))
			.optional();
	}

	/**
	 * Records engagement (opened, clicked, responded, delivered) or a late failure
	 * (bounce) reported for a delivery after it was sent. Engagement is kept in the
	 * history but never moves a delivery backwards (an open reported after a click leaves
	 * it clicked). A permanent failure reported after sending (a hard bounce) falls back
	 * to the customer's next channel like any permanent failure. Reports for unknown
	 * deliveries are ignored.
	 * @throws IllegalArgumentException for statuses that are not reported after sending
	 */
	@Transactional
	public void recordEngagement(UUID deliveryId, DeliveryStatus status, Instant at) {
		Optional<DeliveryRecord> found = this.deliveries.find(deliveryId);
		if (found.isEmpty()) {
			return;
		}
		DeliveryRecord delivery = found.get();
		switch (status) {
			case DELIVERED, OPENED, CLICKED, RESPONDED ->
				this.deliveries.report(delivery, status, at, InteractionType.valueOf(status.name()));
			case PERMANENT_FAILURE -> {
				boolean bounce = delivery.channel() == Channel.EMAIL;
				if (this.deliveries.transition(deliveryId, status,
						bounce ? "bounced" : "the provider reported it undeliverable",
						List.of(DeliveryStatus.SENT, DeliveryStatus.DELIVERED, DeliveryStatus.OPENED,
								DeliveryStatus.CLICKED, DeliveryStatus.RESPONDED),
						bounce ? InteractionType.BOUNCED : InteractionType.FAILED)) {
					this.router.fallBack(delivery);
				}
			}
			default -> throw new IllegalArgumentException(status + " is not reported after sending");
		}
	}

	/**
	 * The API key that accepted the communication, if an API key did.
	 */
	@Transactional(readOnly = true)
	public Optional<UUID> acceptedBy(UUID communicationId) {
		return this.jdbc.sql("SELECT api_key_id FROM communication WHERE id = ? AND api_key_id IS NOT NULL")
			.param(communicationId)
			.query(UUID.class)
			.optional();
	}

	Optional<CommunicationRecord> record(UUID id) {
		return this.jdbc.sql("SELECT * FROM communication WHERE id = ?")
			.param(id)
			.query(this::communication)
			.optional();
	}

	private CommunicationView view(CommunicationRecord communication) {
		return new CommunicationView(communication.id(), communication.customerId(), communication.customerExternalId(),
				communication.template(), communication.purpose(), communication.acceptedAt(),
				this.deliveries.views(communication.id()));
	}

	private CommunicationRecord communication(ResultSet rs, int row) throws SQLException {
		String channels = rs.getString("requested_channels");
		Timestamp routedAt = rs.getTimestamp("routed_at");
		return new CommunicationRecord(rs.getObject("id", UUID.class), rs.getObject("customer_id", UUID.class),
				rs.getString("customer_external_id"), rs.getString("template"),
				Purpose.valueOf(rs.getString("purpose")), this.json.readValue(rs.getString("data"), DATA),
				(channels != null) ? this.json.readValue(channels, CHANNELS) : null,
				rs.getTimestamp("accepted_at").toInstant(), (routedAt != null) ? routedAt.toInstant() : null,
				rs.getObject("template_version", Integer.class));
	}

	static String hash(SendRequest request) {
		try {
			byte[] canonical = CANONICAL.writeValueAsBytes(request);
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static String sha256(byte[] content) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
