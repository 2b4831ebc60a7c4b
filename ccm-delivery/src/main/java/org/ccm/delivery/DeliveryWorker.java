package org.ccm.delivery;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Duration;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.ccm.core.Channel;
import org.ccm.core.ContactState;
import org.ccm.core.CustomerProfile;
import org.ccm.core.Customers;
import org.ccm.core.Interaction;
import org.ccm.core.InteractionType;
import org.ccm.core.Timeline;
import org.ccm.core.problems.DatabaseOutage;
import org.ccm.delivery.spi.ChannelSender;
import org.ccm.delivery.spi.DeliveryFailure;
import org.ccm.delivery.spi.FailureClass;
import org.ccm.delivery.spi.OutgoingMessage;
import org.ccm.delivery.spi.PermanentDeliveryFailure;
import org.ccm.delivery.spi.SentDocument;
import org.ccm.delivery.spi.TrackedMessage;
import org.ccm.templates.ComposedDocument;
import org.ccm.templates.Composition;
import org.ccm.templates.Compositions;
import org.ccm.templates.UnsupportedChannelException;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.support.TransactionTemplate;

import tools.jackson.databind.json.JsonMapper;

/**
 * Consumes the channel topics and sends each queued delivery through its channel's
 * {@link ChannelSender}. Kafka delivers at least once, so the delivery is claimed in
 * PostgreSQL before the provider is called: a redelivered record finds it claimed or sent
 * and does nothing.
 */
@Component
class DeliveryWorker {

	private static final Log logger = LogFactory.getLog(DeliveryWorker.class);

	private static final List<DeliveryStatus> SENDING = List.of(DeliveryStatus.SENDING);

	static final String UNSENT_CLAIM = "ccm-unsent-claim";

	static final String IN_DOUBT = "the worker stopped while sending: the outcome is unknown, so it is not sent again automatically";

	private final JsonMapper json;

	private final Deliveries deliveries;

	private final Communications communications;

	private final Customers customers;

	private final Compositions compositions;

	private final Timeline timeline;

	private final Router router;

	private final JdbcClient jdbc;

	private final TransactionTemplate transaction;

	private final DataSource dataSource;

	private final Map<Channel, ChannelSender> senders = new EnumMap<>(Channel.class);

	private final Duration inDoubtAfter;

	private final DeliveryMetrics metrics;

	private final Clock clock;

	private final DeadLetters deadLetters;

	private final List<Duration> delays;

	// the provider took the message: recording it is retried through a short database
	// outage rather than leaving the delivery in doubt
	private final RetryTemplate recording;

	DeliveryWorker(JsonMapper json, Deliveries deliveries, Communications communications, Customers customers,
			Compositions compositions, Timeline timeline, Router router, JdbcClient jdbc, DataSource dataSource,
			PlatformTransactionManager transactionManager, List<ChannelSender> senders, DeliveryProperties properties,
			DeliveryMetrics metrics, DeadLetters deadLetters, Clock clock) {
		this.clock = clock;
		this.deadLetters = deadLetters;
		this.delays = properties.retries().delays();
		this.inDoubtAfter = properties.retries().inDoubtAfter();
		this.recording = new RetryTemplate(RetryPolicy.builder()
			.maxRetries(10_000)
			.delay(Duration.ofMillis(200))
			.multiplier(2)
			.maxDelay(Duration.ofSeconds(5))
			.timeout(properties.retries().recordSentWithin())
			.predicate(DeliveryWorker::databaseUnreachable)
			.build());
		this.metrics = metrics;
		this.json = json;
		this.deliveries = deliveries;
		this.communications = communications;
		this.customers = customers;
		this.compositions = compositions;
		this.timeline = timeline;
		this.router = router;
		this.jdbc = jdbc;
		this.transaction = new TransactionTemplate(transactionManager);
		this.dataSource = dataSource;
		senders.forEach((sender) -> this.senders.put(sender.channel(), sender));
	}

	@KafkaListener(id = "ccm-delivery-email", groupId = "ccm-delivery",
			concurrency = "${ccm.delivery.kafka.concurrency.email:${ccm.delivery.kafka.consumers:1}}",
			topics = "${ccm.delivery.topics.email:ccm.delivery.email}", properties = "auto.offset.reset=earliest")
	void email(ConsumerRecord<String, String> record) {
		deliver(record);
	}

	@KafkaListener(id = "ccm-delivery-sms", groupId = "ccm-delivery",
			concurrency = "${ccm.delivery.kafka.concurrency.sms:${ccm.delivery.kafka.consumers:1}}",
			topics = "${ccm.delivery.topics.sms:ccm.delivery.sms}", properties = "auto.offset.reset=earliest")
	void sms(ConsumerRecord<String, String> record) {
		deliver(record);
	}

	@KafkaListener(id = "ccm-delivery-print", groupId = "ccm-delivery",
			concurrency = "${ccm.delivery.kafka.concurrency.print:${ccm.delivery.kafka.consumers:1}}",
			topics = "${ccm.delivery.topics.print:ccm.delivery.print}", properties = "auto.offset.reset=earliest")
	void print(ConsumerRecord<String, String> record) {
		deliver(record);
	}

	@KafkaListener(id = "ccm-delivery-portal", groupId = "ccm-delivery",
			concurrency = "${ccm.delivery.kafka.concurrency.portal:${ccm.delivery.kafka.consumers:1}}",
			topics = "${ccm.delivery.topics.portal:ccm.delivery.portal}", properties = "auto.offset.reset=earliest")
	void portal(ConsumerRecord<String, String> record) {
		deliver(record);
	}

	void deliver(ConsumerRecord<String, String> record) {
		DeliveryQueued queued = this.json.readValue(record.value(), DeliveryQueued.class);
		ChannelSender sender = this.senders.get(queued.channel());
		if (sender == null) {
			throw new IllegalStateException("no sender for channel " + queued.channel());
		}
		UUID claim = UUID.randomUUID();
		Claimed claimed;
		try {
			// what composing needs is read in the claim's transaction: one transaction
			// fewer per message
			claimed = this.transaction.execute((status) -> {
				if (!this.deliveries.claim(queued.deliveryId(), claim, unsentClaims(record))) {
					return null;
				}
				Optional<CommunicationRecord> communication = this.communications.record(queued.communicationId());
				return new Claimed(communication,
						communication.isPresent() ? this.customers.findById(queued.customerId()) : Optional.empty());
			});
		}
		catch (RuntimeException ex) {
			// the claim may have been committed all the same; either way nothing was sent
			throw new NotSent(claim, ex);
		}
		if (claimed == null) {
			logger.debug("Delivery " + queued.deliveryId() + " was claimed before; not sending it again");
			return;
		}
		ComposedDocument document;
		SentDocument sent;
		boolean handedOver = false;
		try {
			CommunicationRecord communication = claimed.communication()
				.orElseThrow(() -> new IllegalStateException("no communication " + queued.communicationId()));
			CustomerProfile customer = claimed.customer()
				.orElseThrow(() -> new PermanentDeliveryFailure("the customer no longer exists"));
			long composing = System.nanoTime();
			document = this.compositions
				.compose(new Composition(communication.template(), communication.templateVersion(), queued.channel(),
						customer, communication.data(), queued.deliveryId()));
			this.metrics.composed(queued.channel(), System.nanoTime() - composing);
			handedOver = true;
			sent = send(sender,
					new OutgoingMessage(
							new TrackedMessage(queued.communicationId(), queued.deliveryId(), queued.customerId()),
							customer, document));
		}
		catch (RuntimeException ex) {
			try {
				failed(queued, sender, ex);
				return;
			}
			catch (RuntimeException failure) {
				if (handedOver) {
					throw failure;
				}
				// the provider was never called: a retry may take this claim over
				throw new NotSent(claim, failure);
			}
		}
		recordSent(queued, document, sent, sender);
	}

	/** A delivery claimed for sending, with what was read to compose it. */
	private record Claimed(Optional<CommunicationRecord> communication, Optional<CustomerProfile> customer) {
	}

	private void failed(DeliveryQueued queued, ChannelSender sender, RuntimeException ex) {
		if (ex instanceof DeliveryFailure failure) {
			failed(queued, sender, failure.failureClass(), failure.aboutContactPoint(), ex);
		}
		else if (ex instanceof UnsupportedChannelException) {
			failed(queued, sender, FailureClass.PERMANENT_FOR_CUSTOMER, false, ex);
		}
		else {
			failed(queued, sender, FailureClass.TEMPORARY, false, ex);
		}
	}

	/**
	 * Claims of earlier attempts at this record that stopped before calling the provider,
	 * carried by the retry records ({@link #UNSENT_CLAIM} headers).
	 */
	static List<UUID> unsentClaims(ConsumerRecord<?, ?> record) {
		List<UUID> claims = new ArrayList<>();
		for (Header header : record.headers().headers(UNSENT_CLAIM)) {
			try {
				claims.add(UUID.fromString(new String(header.value(), StandardCharsets.UTF_8)));
			}
			catch (IllegalArgumentException ex) {
				logger.warn("Ignoring an unreadable " + UNSENT_CLAIM + " header on " + record.topic());
			}
		}
		return claims;
	}

	/**
	 * The header a retry record gets when the attempt that failed is known to have
	 * stopped before calling the provider (see {@link NotSent}).
	 */
	static Headers unsentClaimHeader(ConsumerRecord<?, ?> record, Exception ex) {
		Headers headers = new RecordHeaders();
		Throwable cause = ex;
		while (cause != null && !(cause instanceof NotSent)) {
			cause = cause.getCause();
		}
		if (cause instanceof NotSent notSent) {
			headers.add(UNSENT_CLAIM, notSent.claim.toString().getBytes(StandardCharsets.UTF_8));
		}
		return headers;
	}

	/**
	 * Acts on a failed attempt as its class says: a permanent failure falls back (and
	 * suppresses the contact point when it is the cause), a platform fault is parked as a
	 * dead letter at once, a temporary failure is thrown again so that the record goes to
	 * the next retry topic.
	 */
	private void failed(DeliveryQueued queued, ChannelSender sender, FailureClass failureClass,
			boolean aboutContactPoint, RuntimeException ex) {
		String reason = reason(ex);
		switch (failureClass) {
			case PERMANENT_FOR_CUSTOMER -> {
				this.metrics.failed(queued.channel(), sender.provider(), "permanent");
				this.transaction.executeWithoutResult((status) -> {
					if (this.deliveries.transition(queued.deliveryId(), DeliveryStatus.PERMANENT_FAILURE, reason,
							SENDING)) {
						if (aboutContactPoint) {
							suppress(queued, reason);
						}
						this.deliveries.find(queued.deliveryId()).ifPresent(this.router::fallBack);
					}
				});
			}
			case PLATFORM_FAULT -> {
				this.metrics.failed(queued.channel(), sender.provider(), "platform");
				logger.error("Platform fault on " + queued.channel() + " (" + sender.provider() + "): " + reason
						+ "; delivery " + queued.deliveryId() + " is parked as a dead letter, fix and replay it");
				this.transaction.executeWithoutResult((status) -> this.deliveries.transition(queued.deliveryId(),
						DeliveryStatus.TECHNICAL_FAILURE, reason, SENDING));
				throw new PlatformFault(reason, ex);
			}
			case TEMPORARY -> {
				this.metrics.failed(queued.channel(), sender.provider(), "temporary");
				this.transaction.executeWithoutResult((status) -> {
					Retry retry = nextRetry(queued);
					if (this.deliveries.transition(queued.deliveryId(), DeliveryStatus.TEMPORARY_FAILURE,
							reason + retry.note(), SENDING)) {
						this.deliveries.nextAttemptAt(queued.deliveryId(), retry.at());
					}
				});
				throw ex;
			}
		}
	}

	/**
	 * When the next attempt comes, for operators looking at a waiting delivery: in its
	 * reason and as its next attempt time.
	 */
	private Retry nextRetry(DeliveryQueued queued) {
		int failed = this.deliveries.temporaryFailuresSinceQueued(queued.deliveryId());
		if (failed >= this.delays.size()) {
			return new Retry("; no retry left: parked as a dead letter", null);
		}
		Duration delay = this.delays.get(failed);
		this.metrics.retried(queued.channel(), delay);
		Instant at = Instant.now(this.clock).plus(delay);
		return new Retry("; attempt " + (failed + 1) + " of " + (this.delays.size() + 1) + ", next in "
				+ delay.toString().substring(2).toLowerCase(Locale.ROOT) + " (at " + at.truncatedTo(ChronoUnit.SECONDS)
				+ ")", at);
	}

	private record Retry(String note, @Nullable Instant at) {

	}

	private void suppress(DeliveryQueued queued, String reason) {
		ContactState state = switch (queued.channel()) {
			case EMAIL -> ContactState.BOUNCED;
			case SMS, PRINT -> ContactState.INVALID;
			case PORTAL -> null;
		};
		if (state != null) {
			this.customers.markContactState(queued.customerId(), queued.channel(), state, reason);
		}
	}

	/**
	 * The provider took the message: it is recorded as sent, and nothing after that
	 * (archive, timeline) can make it go out again. When the database cannot be reached
	 * the write is tried again for up to {@code recordSentWithin}; only after that is the
	 * delivery left in doubt. The archive copy is written in the same transaction behind
	 * a savepoint: when it fails, only the copy is rolled back and the failure is
	 * recorded on the delivery as a follow-up failure for operators, not retried.
	 */
	private void recordSent(DeliveryQueued queued, ComposedDocument document, SentDocument sent, ChannelSender sender) {
		String provider = (sent.provider() != null) ? sent.provider() : sender.provider();
		RuntimeException lastFailure = null;
		String archiveFailure = null;
		try {
			archiveFailure = this.recording.execute(() -> this.transaction.execute((status) -> {
				this.deliveries.sent(queued.deliveryId(), provider, sent.providerReference());
				Savepoint savepoint = savepoint();
				try {
					archive(queued, document, sent);
					return null;
				}
				catch (RuntimeException ex) {
					rollbackTo(savepoint);
					logger.error("Delivery " + queued.deliveryId() + " was sent but its archive copy was not written",
							ex);
					String failure = "sent, but archiving failed: " + reason(ex);
					this.deliveries.followUpFailure(queued.deliveryId(), failure);
					return failure;
				}
			}));
		}
		catch (RetryException ex) {
			lastFailure = (ex.getCause() instanceof RuntimeException cause) ? cause
					: new IllegalStateException(ex.getMessage(), ex.getCause());
		}
		if (lastFailure != null) {
			// stays claimed: reported as in doubt and parked as a dead letter, never
			// sent again on its own
			this.metrics.followUpFailed(queued.channel(), "status");
			logger.error("Delivery " + queued.deliveryId() + " was taken by " + provider
					+ " but could not be recorded as sent", lastFailure);
			return;
		}
		this.metrics.sent(queued.channel(), provider);
		if (archiveFailure != null) {
			this.metrics.followUpFailed(queued.channel(), "archive");
		}
	}

	// on the transaction's own JDBC connection: the JPA transaction manager does not
	// offer savepoints, and this transaction holds no JPA state to lose
	private Savepoint savepoint() {
		try {
			return DataSourceUtils.getConnection(this.dataSource).setSavepoint();
		}
		catch (SQLException ex) {
			throw new IllegalStateException("could not set a savepoint", ex);
		}
	}

	private void rollbackTo(Savepoint savepoint) {
		try {
			DataSourceUtils.getConnection(this.dataSource).rollback(savepoint);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("could not roll back to the savepoint", ex);
		}
	}

	private SentDocument send(ChannelSender sender, OutgoingMessage message) {
		long start = System.nanoTime();
		String outcome = "failure";
		try {
			SentDocument sent = sender.send(message);
			outcome = "success";
			return sent;
		}
		finally {
			this.metrics.provided(sender.channel(), sender.provider(), outcome, System.nanoTime() - start);
		}
	}

	private void archive(DeliveryQueued queued, ComposedDocument document, SentDocument sent) {
		this.jdbc.sql("""
				INSERT INTO archived_document (delivery_id, communication_id, channel, content_type, filename, content,
				                               sha256, archived_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (delivery_id) DO NOTHING""")
			.params(queued.deliveryId(), queued.communicationId(), queued.channel().name(), sent.contentType(),
					sent.filename(), sent.content(), Communications.sha256(sent.content()),
					Deliveries.timestamp(Instant.now(this.clock)))
			.update();
		for (String offer : document.offersShown()) {
			Map<String, Object> detail = new LinkedHashMap<>();
			detail.put("offer", offer);
			detail.put("template", document.templateKey());
			this.timeline.record(new Interaction(queued.customerId(), InteractionType.PROPOSED, queued.channel(),
					queued.communicationId(), queued.deliveryId(), Instant.now(this.clock), detail));
		}
	}

	/**
	 * A delivery that stays claimed was being handed to the provider when its worker
	 * stopped: it may or may not have gone out. It is not sent again automatically; it is
	 * parked as a dead letter so that someone can check with the provider and replay it
	 * if need be.
	 */
	@Scheduled(fixedDelayString = "${ccm.delivery.retries.in-doubt-check:PT5M}",
			initialDelayString = "${ccm.delivery.retries.in-doubt-check:PT5M}")
	@SchedulerLock(name = "ccm-delivery-report-in-doubt")
	void reportInDoubt() {
		Instant before = Instant.now(this.clock).minus(this.inDoubtAfter);
		for (UUID id : this.deliveries.claimedBefore(before)) {
			this.transaction.executeWithoutResult((status) -> {
				if (this.deliveries.transition(id, DeliveryStatus.TECHNICAL_FAILURE, IN_DOUBT, SENDING)) {
					this.deliveries.find(id).ifPresent((delivery) -> this.deadLetters.park(delivery, IN_DOUBT));
				}
			});
		}
	}

	/**
	 * The attempt failed before the provider was called, and possibly could not even
	 * record why (the database went away after the claim). Its claim travels with the
	 * retry record, so the retry may take the delivery over instead of finding it claimed
	 * and leaving it to the in-doubt check.
	 */
	static final class NotSent extends RuntimeException {

		private final UUID claim;

		NotSent(UUID claim, RuntimeException cause) {
			super(cause.getMessage(), cause);
			this.claim = claim;
		}

	}

	/**
	 * Our side is at fault: the record is parked as a dead letter without retries.
	 */
	static final class PlatformFault extends RuntimeException {

		PlatformFault(String message, Throwable cause) {
			super(message, cause);
		}

	}

	/**
	 * Whether a failure says the database could not be reached (no connection, a broken
	 * one, a commit that got no answer), which waiting may cure.
	 */
	static boolean databaseUnreachable(Throwable ex) {
		if (DatabaseOutage.isCause(ex)) {
			return true;
		}
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof TransientDataAccessException || cause instanceof TransactionSystemException) {
				return true;
			}
		}
		return false;
	}

	static String reason(Throwable ex) {
		Throwable cause = ex;
		while (cause.getCause() != null && cause.getMessage() == null) {
			cause = cause.getCause();
		}
		String message = cause.getClass().getSimpleName() + ": " + cause.getMessage();
		return (message.length() > 500) ? message.substring(0, 500) : message;
	}

}
