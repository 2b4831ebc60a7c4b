package org.ccm.tracking;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.ccm.core.Channel;
import org.ccm.core.CustomerErased;
import org.ccm.core.Customers;
import org.ccm.core.Interaction;
import org.ccm.core.InteractionType;
import org.ccm.core.Purpose;
import org.ccm.core.Timeline;
import org.ccm.delivery.Communications;
import org.ccm.delivery.DeliveryStatus;
import org.ccm.delivery.DeliveryStatusChanged;
import org.ccm.tracking.TrackingToken.Delivery;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

import tools.jackson.databind.json.JsonMapper;

/**
 * Records what customers and providers report back: on the delivery (its status, which
 * the delivery module also writes to the customer's timeline), in this module's own
 * tables for engagement statistics and, for unsubscribes, which this module owns, on the
 * customer's timeline.
 */
@Component
class Interactions {

	private static final Logger log = LoggerFactory.getLogger(Interactions.class);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final JdbcClient jdbc;

	private final Communications communications;

	private final Customers customers;

	private final Timeline timeline;

	private final MachineTraffic traffic;

	private final TransactionTemplate batch;

	private final TransactionTemplate single;

	private final ApplicationEventPublisher events;

	Interactions(JdbcClient jdbc, Communications communications, Customers customers, Timeline timeline,
			MachineTraffic traffic, PlatformTransactionManager transactions, ApplicationEventPublisher events) {
		this.jdbc = jdbc;
		this.events = events;
		this.traffic = traffic;
		this.communications = communications;
		this.customers = customers;
		this.timeline = timeline;
		this.batch = new TransactionTemplate(transactions);
		this.single = new TransactionTemplate(transactions);
		this.single.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
	}

	/**
	 * Writes a batch of opens and clicks in one transaction. When one of them cannot be
	 * written, the batch is rolled back and written again a hit at a time, so that hit
	 * does not take the others with it. (Savepoints would do it in one pass, but JPA's
	 * transaction manager, which every module shares, does not offer them.)
	 */
	void recordAll(List<Hit> hits) {
		try {
			this.batch.executeWithoutResult((status) -> hits.forEach(this::write));
		}
		catch (RuntimeException ex) {
			if (hits.size() == 1) {
				log.warn("A {} of delivery {} could not be recorded", hits.get(0).kind(), hits.get(0).deliveryId(), ex);
				return;
			}
			for (Hit hit : hits) {
				try {
					this.single.executeWithoutResult((status) -> write(hit));
				}
				catch (RuntimeException single) {
					log.warn("A {} of delivery {} could not be recorded", hit.kind(), hit.deliveryId(), single);
				}
			}
		}
	}

	private void write(Hit hit) {
		switch (hit.kind()) {
			case OPEN -> opened(hit.token(), hit.at(), hit.userAgent(), hit.address());
			case CLICK -> clicked(hit.token(), hit.at(), hit.userAgent(), hit.address());
			default -> throw new IllegalArgumentException(hit.kind() + " is not written in batches");
		}
	}

	/**
	 * Counts an open; only the first open of a delivery changes its status and reaches
	 * the timeline, so image proxies that fetch the pixel again and again do not flood
	 * it. An open by a machine (an image proxy's prefetch, a scanner) is kept, flagged
	 * and counted apart: it changes no status.
	 * @return whether this was the delivery's first open by a person
	 */
	@Transactional
	boolean opened(TrackingToken token, Instant at, @Nullable String userAgent, @Nullable String address) {
		Delivery delivery = token.requireDelivery();
		String machine = traffic.open(userAgent, address);
		if (machine != null) {
			jdbc.sql("""
					INSERT INTO tracked_delivery (delivery_id, communication_id, customer_id, channel, machine_opens)
					VALUES (:delivery, :communication, :customer, :channel, 1)
					ON CONFLICT (delivery_id) DO UPDATE SET machine_opens = tracked_delivery.machine_opens + 1
					""").params(deliveryParams(token, delivery, at)).update();
			events.publishEvent(new MachineTrafficRecorded(delivery.communicationId(), delivery.deliveryId(),
					delivery.channel(), 1, 0));
			record(token.customerId(), InteractionType.OPENED, delivery, at, Map.of(), machine);
			return false;
		}
		int opens = jdbc
			.sql("""
					INSERT INTO tracked_delivery (delivery_id, communication_id, customer_id, channel, opens, first_opened_at)
					VALUES (:delivery, :communication, :customer, :channel, 1, :at)
					ON CONFLICT (delivery_id) DO UPDATE SET opens = tracked_delivery.opens + 1,
						first_opened_at = coalesce(tracked_delivery.first_opened_at, excluded.first_opened_at)
					RETURNING opens
					""")
			.params(deliveryParams(token, delivery, at))
			.query(Integer.class)
			.single();
		if (opens > 1) {
			return false;
		}
		// the delivery module writes the status change to the customer's timeline
		communications.recordEngagement(delivery.deliveryId(), DeliveryStatus.OPENED, at);
		record(token.customerId(), InteractionType.OPENED, delivery, at, Map.of(), null);
		return true;
	}

	/**
	 * When the delivery was sent, if tracking has heard of it.
	 */
	Optional<Instant> sentAt(UUID deliveryId) {
		return jdbc.sql("SELECT sent_at FROM tracked_delivery WHERE delivery_id = :delivery")
			.param("delivery", deliveryId)
			.query((rs, row) -> {
				Timestamp sent = rs.getTimestamp(1);
				return (sent != null) ? sent.toInstant() : Instant.MIN;
			})
			.optional()
			.filter((sent) -> !sent.equals(Instant.MIN));
	}

	/**
	 * Records a click on the token's target. Every click is counted, kept with its link
	 * and published; the first click of a delivery by a person changes its status and so
	 * reaches the timeline. Clicks of mail scanners (by their agent or address, too soon
	 * after sending, or on several links at once) are kept, flagged and counted apart; a
	 * burst also flags the clicks before it that belong to it, though a status one of
	 * them already changed stays.
	 */
	@Transactional
	void clicked(TrackingToken token, Instant at, @Nullable String userAgent, @Nullable String address) {
		Delivery delivery = token.requireDelivery();
		String target = token.target();
		Map<String, String> detail = (target != null) ? Map.of("url", target) : Map.of();
		Instant sentAt = sentAt(delivery.deliveryId()).orElse(null);
		String machine = traffic.click(userAgent, address, sentAt, at);
		int flagged = 0;
		if (machine == null) {
			flagged = burst(delivery.deliveryId(), target, at);
			if (flagged >= 0) {
				machine = MachineTraffic.CLICK_BURST;
			}
		}
		if (machine != null) {
			jdbc.sql("""
					INSERT INTO tracked_delivery (delivery_id, communication_id, customer_id, channel, machine_clicks)
					VALUES (:delivery, :communication, :customer, :channel, 1)
					ON CONFLICT (delivery_id) DO UPDATE SET machine_clicks = tracked_delivery.machine_clicks + 1
					""").params(deliveryParams(token, delivery, at)).update();
			events.publishEvent(new MachineTrafficRecorded(delivery.communicationId(), delivery.deliveryId(),
					delivery.channel(), 0, 1 + Math.max(0, flagged)));
			record(token.customerId(), InteractionType.CLICKED, delivery, at, detail, machine);
			return;
		}
		int clicks = jdbc
			.sql("""
					INSERT INTO tracked_delivery (delivery_id, communication_id, customer_id, channel, clicks, first_clicked_at)
					VALUES (:delivery, :communication, :customer, :channel, 1, :at)
					ON CONFLICT (delivery_id) DO UPDATE SET clicks = tracked_delivery.clicks + 1,
						first_clicked_at = coalesce(tracked_delivery.first_clicked_at, excluded.first_clicked_at)
					RETURNING clicks
					""")
			.params(deliveryParams(token, delivery, at))
			.query(Integer.class)
			.single();
		if (clicks == 1) {
			communications.recordEngagement(delivery.deliveryId(), DeliveryStatus.CLICKED, at);
		}
		record(token.customerId(), InteractionType.CLICKED, delivery, at, detail, null);
	}

	/**
	 * Whether clicks on other links of the delivery came within the burst window of this
	 * one; those taken for a person's so far are flagged now, and the delivery's counts
	 * corrected.
	 * @return how many earlier clicks were flagged now, or -1 when this is no burst
	 */
	private int burst(UUID deliveryId, @Nullable String target, Instant at) {
		Duration window = traffic.clickBurst();
		if (window.isZero() || target == null) {
			return -1;
		}
		Map<String, Object> params = Map.of("delivery", deliveryId, "url", target, "from",
				Timestamp.from(at.minus(window)), "to", Timestamp.from(at.plus(window)));
		boolean others = jdbc.sql("""
				SELECT EXISTS (SELECT 1 FROM tracking_interaction WHERE delivery_id = :delivery AND type = 'CLICKED'
				   AND occurred_at BETWEEN :from AND :to AND detail->>'url' IS DISTINCT FROM :url)
				""").params(params).query(Boolean.class).single();
		if (!others) {
			return -1;
		}
		int flagged = jdbc.sql("""
				UPDATE tracking_interaction SET machine = 'click-burst'
				 WHERE delivery_id = :delivery AND type = 'CLICKED' AND machine IS NULL
				   AND occurred_at BETWEEN :from AND :to
				""").params(params).update();
		if (flagged > 0) {
			jdbc.sql("""
					UPDATE tracked_delivery SET clicks = greatest(clicks - :flagged, 0),
					       machine_clicks = machine_clicks + :flagged,
					       first_clicked_at = (SELECT min(occurred_at) FROM tracking_interaction
					                            WHERE delivery_id = :delivery AND type = 'CLICKED' AND machine IS NULL)
					 WHERE delivery_id = :delivery
					""").param("flagged", flagged).param("delivery", deliveryId).update();
		}
		return flagged;
	}

	/**
	 * Withdraws marketing consent for the channel the message came on (RFC 8058 one-click
	 * unsubscribe). Transactional messages are owed to the customer and continue. Mail
	 * providers may POST more than once: only the first unsubscribe of a delivery is
	 * recorded.
	 */
	@Transactional
	void unsubscribed(TrackingToken token, Instant at) {
		Delivery delivery = token.requireDelivery();
		customers.recordConsent(token.customerId(), delivery.channel(), Purpose.MARKETING, false,
				"one-click unsubscribe");
		boolean first = jdbc.sql("""
				INSERT INTO tracked_delivery (delivery_id, communication_id, customer_id, channel, unsubscribed_at)
				VALUES (:delivery, :communication, :customer, :channel, :at)
				ON CONFLICT (delivery_id) DO UPDATE SET unsubscribed_at = excluded.unsubscribed_at
					WHERE tracked_delivery.unsubscribed_at IS NULL
				RETURNING delivery_id
				""").params(deliveryParams(token, delivery, at)).query(UUID.class).optional().isPresent();
		if (first) {
			record(token.customerId(), InteractionType.UNSUBSCRIBED, delivery, at, Map.of());
			unsubscribedOnTimeline(token.customerId(), delivery.channel(), delivery.communicationId(),
					delivery.deliveryId(), at, Map.of());
		}
	}

	/**
	 * A provider's delivery receipt for an SMS. Remembers the number it went to, so that
	 * a reply from that number can be matched to the customer.
	 */
	@Transactional
	void smsReceipt(UUID deliveryId, DeliveryStatus status, @Nullable String to, String providerStatus, Instant at) {
		communications.recordEngagement(deliveryId, status, at);
		if (to != null && !to.isBlank()) {
			jdbc.sql("""
					INSERT INTO tracked_delivery (delivery_id, channel, address) VALUES (:delivery, :channel, :to)
					ON CONFLICT (delivery_id) DO UPDATE SET address = excluded.address
					""").param("delivery", deliveryId).param("channel", Channel.SMS.name()).param("to", to).update();
		}
		Optional<Map<String, Object>> tracked = jdbc
			.sql("SELECT customer_id, communication_id FROM tracked_delivery WHERE delivery_id = :delivery")
			.param("delivery", deliveryId)
			.query()
			.listOfRows()
			.stream()
			.findFirst();
		Map<String, String> detail = Map.of("providerStatus", providerStatus);
		UUID customerId = tracked.map((row) -> (UUID) row.get("customer_id")).orElse(null);
		UUID communicationId = tracked.map((row) -> (UUID) row.get("communication_id")).orElse(null);
		insertInteraction(status.name(), customerId, Channel.SMS, communicationId, deliveryId, at, detail);
	}

	/**
	 * An inbound STOP: withdraws SMS marketing consent of the customer who last received
	 * an SMS on that number.
	 * @return the customer, when the number is known
	 */
	@Transactional
	Optional<UUID> smsStop(String from, String body, Instant at) {
		Optional<UUID> customer = jdbc.sql("""
				SELECT customer_id FROM tracked_delivery WHERE address = :from AND customer_id IS NOT NULL
				ORDER BY sent_at DESC NULLS LAST LIMIT 1
				""").param("from", from).query(UUID.class).optional();
		customer.ifPresent((customerId) -> {
			customers.recordConsent(customerId, Channel.SMS, Purpose.MARKETING, false, "SMS reply " + body.trim());
			Map<String, String> detail = Map.of("reply", body.trim());
			insertInteraction(InteractionType.UNSUBSCRIBED.name(), customerId, Channel.SMS, null, null, at, detail);
			unsubscribedOnTimeline(customerId, Channel.SMS, null, null, at, detail);
		});
		if (customer.isEmpty()) {
			insertInteraction("INBOUND_UNMATCHED", null, Channel.SMS, null, null, at, Map.of("reply", body.trim()));
		}
		return customer;
	}

	/**
	 * Remembers which template a sent delivery came from, for per-template statistics.
	 * Deliberately a plain listener: it runs in the transaction that records the delivery
	 * sent, as one upsert, so the delivery is known here from the moment it is sent and
	 * no event publication is stored, completed and deleted for every message.
	 */
	@EventListener
	void on(DeliveryStatusChanged changed) {
		if (changed.status() != DeliveryStatus.SENT) {
			return;
		}
		jdbc.sql("""
				INSERT INTO tracked_delivery (delivery_id, communication_id, customer_id, channel, template, sent_at)
				VALUES (:delivery, :communication, :customer, :channel, :template, :at)
				ON CONFLICT (delivery_id) DO UPDATE SET template = excluded.template,
					communication_id = excluded.communication_id, customer_id = excluded.customer_id,
					channel = excluded.channel, sent_at = coalesce(tracked_delivery.sent_at, excluded.sent_at)
				""")
			.param("delivery", changed.deliveryId())
			.param("communication", changed.communicationId())
			.param("customer", changed.customerId())
			.param("channel", changed.channel().name())
			.param("template", changed.template())
			.param("at", Timestamp.from(changed.at()))
			.update();
	}

	@ApplicationModuleListener
	void on(CustomerErased erased) {
		jdbc.sql("DELETE FROM tracked_delivery WHERE customer_id = :customer")
			.param("customer", erased.customerId())
			.update();
		jdbc.sql("DELETE FROM tracking_interaction WHERE customer_id = :customer")
			.param("customer", erased.customerId())
			.update();
	}

	private void record(UUID customerId, InteractionType type, Delivery delivery, Instant at,
			Map<String, String> detail) {
		record(customerId, type, delivery, at, detail, null);
	}

	private void record(UUID customerId, InteractionType type, Delivery delivery, Instant at,
			Map<String, String> detail, @Nullable String machine) {
		insertInteraction(type.name(), customerId, delivery.channel(), delivery.communicationId(),
				delivery.deliveryId(), at, detail, machine);
	}

	/**
	 * The one place this module writes to the customer's timeline: unsubscribes are its
	 * own; status changes (opens, clicks, receipts) reach the timeline through the
	 * delivery module, which owns them.
	 */
	private void unsubscribedOnTimeline(UUID customerId, Channel channel, @Nullable UUID communicationId,
			@Nullable UUID deliveryId, Instant at, Map<String, String> detail) {
		timeline.record(new Interaction(customerId, InteractionType.UNSUBSCRIBED, channel, communicationId, deliveryId,
				at, Map.copyOf(detail)));
	}

	void insertInteraction(String type, @Nullable UUID customerId, Channel channel, @Nullable UUID communicationId,
			@Nullable UUID deliveryId, Instant at, Map<String, String> detail) {
		insertInteraction(type, customerId, channel, communicationId, deliveryId, at, detail, null);
	}

	/**
	 * @param machine the rule that took the hit for a machine's, or null for a person's
	 */
	void insertInteraction(String type, @Nullable UUID customerId, Channel channel, @Nullable UUID communicationId,
			@Nullable UUID deliveryId, Instant at, Map<String, String> detail, @Nullable String machine) {
		jdbc.sql(
				"""
						INSERT INTO tracking_interaction (type, customer_id, channel, communication_id, delivery_id, occurred_at, detail, machine)
						VALUES (:type, :customer, :channel, :communication, :delivery, :at, CAST(:detail AS jsonb), :machine)
						""")
			.param("type", type)
			.param("customer", customerId)
			.param("channel", channel.name())
			.param("communication", communicationId)
			.param("delivery", deliveryId)
			.param("at", Timestamp.from(at))
			.param("detail", JSON.writeValueAsString(new LinkedHashMap<>(detail)))
			.param("machine", machine)
			.update();
	}

	private static Map<String, Object> deliveryParams(TrackingToken token, Delivery delivery, Instant at) {
		return Map.of("delivery", delivery.deliveryId(), "communication", delivery.communicationId(), "customer",
				token.customerId(), "channel", delivery.channel().name(), "at", Timestamp.from(at));
	}

}
