package org.ccm.delivery;

import java.time.Duration;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.ccm.core.Channel;
import org.ccm.core.CustomerProfile;
import org.ccm.core.Customers;
import org.ccm.core.Interaction;
import org.ccm.core.InteractionType;
import org.ccm.core.Timeline;
import org.ccm.delivery.spi.ChannelSender;
import org.ccm.delivery.spi.OutgoingMessage;
import org.ccm.delivery.spi.PermanentDeliveryFailure;
import org.ccm.delivery.spi.SentDocument;
import org.ccm.delivery.spi.TrackedMessage;
import org.ccm.templates.ComposedDocument;
import org.ccm.templates.Composition;
import org.ccm.templates.Compositions;
import org.ccm.templates.UnsupportedChannelException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
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

	private final Map<Channel, ChannelSender> senders = new EnumMap<>(Channel.class);

	private final Duration inDoubtAfter;

	private final DeliveryMetrics metrics;

	private final Clock clock;

	DeliveryWorker(JsonMapper json, Deliveries deliveries, Communications communications, Customers customers,
			Compositions compositions, Timeline timeline, Router router, JdbcClient jdbc,
			PlatformTransactionManager transactionManager, List<ChannelSender> senders, DeliveryProperties properties,
			DeliveryMetrics metrics, Clock clock) {
		this.clock = clock;
		this.inDoubtAfter = properties.retries().inDoubtAfter();
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
		senders.forEach((sender) -> this.senders.put(sender.channel(), sender));
	}

	@KafkaListener(id = "ccm-delivery-email", groupId = "ccm-delivery",
			concurrency = "${ccm.delivery.kafka.concurrency.email:${ccm.delivery.kafka.consumers:1}}",
			topics = "${ccm.delivery.topics.email:ccm.delivery.email}", properties = "auto.offset.reset=earliest")
	void email(String payload) {
		deliver(payload);
	}

	@KafkaListener(id = "ccm-delivery-sms", groupId = "ccm-delivery",
			concurrency = "${ccm.delivery.kafka.concurrency.sms:${ccm.delivery.kafka.consumers:1}}",
			topics = "${ccm.delivery.topics.sms:ccm.delivery.sms}", properties = "auto.offset.reset=earliest")
	void sms(String payload) {
		deliver(payload);
	}

	@KafkaListener(id = "ccm-delivery-print", groupId = "ccm-delivery",
			concurrency = "${ccm.delivery.kafka.concurrency.print:${ccm.delivery.kafka.consumers:1}}",
			topics = "${ccm.delivery.topics.print:ccm.delivery.print}", properties = "auto.offset.reset=earliest")
	void print(String payload) {
		deliver(payload);
	}

	@KafkaListener(id = "ccm-delivery-portal", groupId = "ccm-delivery",
			concurrency = "${ccm.delivery.kafka.concurrency.portal:${ccm.delivery.kafka.consumers:1}}",
			topics = "${ccm.delivery.topics.portal:ccm.delivery.portal}", properties = "auto.offset.reset=earliest")
	void portal(String payload) {
		deliver(payload);
	}

	void deliver(String payload) {
		DeliveryQueued queued = this.json.readValue(payload, DeliveryQueued.class);
		ChannelSender sender = this.senders.get(queued.channel());
		if (sender == null) {
			throw new IllegalStateException("no sender for channel " + queued.channel());
		}
		if (!Boolean.TRUE.equals(this.transaction.execute((status) -> this.deliveries.claim(queued.deliveryId())))) {
			logger.debug("Delivery " + queued.deliveryId() + " was claimed before; not sending it again");
			return;
		}
		ComposedDocument document;
		SentDocument sent;
		try {
			CommunicationRecord communication = this.communications.record(queued.communicationId())
				.orElseThrow(() -> new IllegalStateException("no communication " + queued.communicationId()));
			CustomerProfile customer = this.customers.findById(queued.customerId())
				.orElseThrow(() -> new PermanentDeliveryFailure("the customer no longer exists"));
			long composing = System.nanoTime();
			document = this.compositions
				.compose(new Composition(communication.template(), communication.templateVersion(), queued.channel(),
						customer, communication.data(), queued.deliveryId()));
			this.metrics.composed(queued.channel(), System.nanoTime() - composing);
			sent = send(sender,
					new OutgoingMessage(
							new TrackedMessage(queued.communicationId(), queued.deliveryId(), queued.customerId()),
							customer, document));
		}
		catch (PermanentDeliveryFailure | UnsupportedChannelException ex) {
			this.metrics.failed(queued.channel(), sender.provider(), "permanent");
			this.transaction.executeWithoutResult((status) -> {
				if (this.deliveries.transition(queued.deliveryId(), DeliveryStatus.PERMANENT_FAILURE, ex.getMessage(),
						SENDING)) {
					this.deliveries.find(queued.deliveryId()).ifPresent(this.router::fallBack);
				}
			});
			return;
		}
		catch (RuntimeException ex) {
			this.metrics.failed(queued.channel(), sender.provider(), "temporary");
			// retried by the container's error handler, which may claim it again from
			// here
			this.transaction.executeWithoutResult((status) -> this.deliveries.transition(queued.deliveryId(),
					DeliveryStatus.TEMPORARY_FAILURE, reason(ex), SENDING));
			throw ex;
		}
		// Sent: from here on a failure must not make the delivery claimable again.
		this.transaction.executeWithoutResult((status) -> sent(queued, document, sent));
		this.metrics.sent(queued.channel(), sender.provider());
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

	private void sent(DeliveryQueued queued, ComposedDocument document, SentDocument sent) {
		this.deliveries.transition(queued.deliveryId(), DeliveryStatus.SENT, null, SENDING);
		this.deliveries.providerReference(queued.deliveryId(), sent.providerReference());
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
	 * reported so that someone can check with the provider and replay it if need be.
	 */
	@Scheduled(fixedDelayString = "${ccm.delivery.retries.in-doubt-check:PT5M}",
			initialDelayString = "${ccm.delivery.retries.in-doubt-check:PT5M}")
	@SchedulerLock(name = "ccm-delivery-report-in-doubt")
	void reportInDoubt() {
		Instant before = Instant.now().minus(this.inDoubtAfter);
		for (UUID id : this.deliveries.claimedBefore(before)) {
			this.transaction.executeWithoutResult(
					(status) -> this.deliveries.transition(id, DeliveryStatus.TECHNICAL_FAILURE, IN_DOUBT, SENDING));
		}
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
