package org.ccm.tracking;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.ccm.core.Channel;
import org.ccm.core.ContactPoint;
import org.ccm.core.ContactState;
import org.ccm.core.CustomerProfile;
import org.ccm.core.Customers;
import org.ccm.core.Purpose;
import org.ccm.delivery.Communications;
import org.ccm.delivery.DeliveryStatus;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Acts on bounces and complaints, wherever they were heard: a hard bounce fails the
 * delivery for good (the communication falls back to the customer's next channel) and
 * marks the address bounced; soft bounces are counted and suppress the address after
 * {@code ccm.tracking.bounces.soft-bounce-limit} within the window; a complaint marks the
 * address as complained about and withdraws the customer's marketing consent for email.
 * <p>
 * An address is only marked while it is still the customer's: a bounce of an address the
 * customer has since replaced says nothing about the new one.
 */
@Component
class Bounces {

	private static final Logger log = LoggerFactory.getLogger(Bounces.class);

	static final String METER = "ccm.tracking.bounce.reports";

	enum Outcome {

		/** Acted upon. */
		RECORDED,
		/** Heard before (the same report read or posted twice): nothing done again. */
		DUPLICATE,
		/** The report names no delivery this platform sent: kept for a person. */
		UNMATCHED

	}

	private final JdbcClient jdbc;

	private final Communications communications;

	private final Customers customers;

	private final Interactions interactions;

	private final BounceProperties properties;

	private final MeterRegistry meters;

	Bounces(JdbcClient jdbc, Communications communications, Customers customers, Interactions interactions,
			BounceProperties properties, ObjectProvider<MeterRegistry> meters) {
		this.jdbc = jdbc;
		this.communications = communications;
		this.customers = customers;
		this.interactions = interactions;
		this.properties = properties;
		this.meters = meters.getIfAvailable(SimpleMeterRegistry::new);
	}

	@Transactional
	Outcome record(Bounce bounce, String source, Instant at) {
		Optional<Tracked> tracked = (bounce.deliveryId() != null) ? tracked(bounce.deliveryId()) : Optional.empty();
		boolean first = jdbc
			.sql("""
					INSERT INTO bounce (reference, kind, source, delivery_id, customer_id, recipient, status, detail, occurred_at)
					VALUES (:reference, :kind, :source, :delivery, :customer, :recipient, :status, :detail, :at)
					ON CONFLICT (reference) DO NOTHING
					""")
			.param("reference", bounce.reference())
			.param("kind", bounce.kind().name())
			.param("source", source)
			.param("delivery", tracked.map(Tracked::deliveryId).orElse(null))
			.param("customer", tracked.map(Tracked::customerId).orElse(null))
			.param("recipient", bounce.recipient())
			.param("status", bounce.status())
			.param("detail", bounce.detail())
			.param("at", Timestamp.from(at))
			.update() > 0;
		if (!first) {
			count(source, "duplicate");
			return Outcome.DUPLICATE;
		}
		if (tracked.isEmpty()) {
			log.warn("A {} bounce report ({}) names no delivery sent by this platform: {}", bounce.kind(), source,
					bounce.deliveryId());
			count(source, "unmatched");
			return Outcome.UNMATCHED;
		}
		Tracked delivery = tracked.get();
		switch (bounce.kind()) {
			case HARD -> {
				communications.recordEngagement(delivery.deliveryId(), DeliveryStatus.PERMANENT_FAILURE, at);
				mark(delivery, bounce, ContactState.BOUNCED, "hard bounce " + describe(bounce));
			}
			case SOFT -> {
				long recent = jdbc.sql("""
						SELECT count(*) FROM bounce WHERE kind = 'SOFT' AND customer_id = :customer
						   AND lower(recipient) IS NOT DISTINCT FROM lower(:recipient) AND occurred_at > :since
						""")
					.param("customer", delivery.customerId())
					.param("recipient", bounce.recipient())
					.param("since", Timestamp.from(at.minus(properties.softBounceWindow())))
					.query(Long.class)
					.single();
				if (recent >= properties.softBounceLimit()) {
					mark(delivery, bounce, ContactState.SUPPRESSED, recent + " soft bounces within "
							+ properties.softBounceWindow() + ", last " + describe(bounce));
				}
			}
			case COMPLAINT -> {
				mark(delivery, bounce, ContactState.COMPLAINED, "complaint " + describe(bounce));
				customers.recordConsent(delivery.customerId(), delivery.channel(), Purpose.MARKETING, false,
						"spam complaint");
			}
		}
		Map<String, String> detail = new LinkedHashMap<>();
		detail.put("source", source);
		if (bounce.recipient() != null) {
			detail.put("recipient", bounce.recipient());
		}
		if (bounce.status() != null) {
			detail.put("status", bounce.status());
		}
		if (bounce.detail() != null) {
			detail.put("detail", bounce.detail());
		}
		interactions.insertInteraction(type(bounce.kind()), delivery.customerId(), delivery.channel(),
				delivery.communicationId(), delivery.deliveryId(), at, detail);
		count(source, bounce.kind().name().toLowerCase(Locale.ROOT));
		return Outcome.RECORDED;
	}

	/**
	 * Counts a report that could not be read at all.
	 */
	void unreadable(String source) {
		count(source, "unreadable");
	}

	/**
	 * Counts a report that reports no bounce (a success notification, a "not spam").
	 */
	void ignored(String source) {
		count(source, "ignored");
	}

	MeterRegistry meters() {
		return meters;
	}

	private void mark(Tracked delivery, Bounce bounce, ContactState state, String reason) {
		Optional<CustomerProfile> customer = customers.findById(delivery.customerId());
		if (customer.isEmpty()) {
			return;
		}
		ContactPoint current = switch (delivery.channel()) {
			case EMAIL -> customer.get().email();
			case SMS -> customer.get().phone();
			default -> null;
		};
		if (current == null) {
			return;
		}
		if (bounce.recipient() != null && !current.value().equalsIgnoreCase(bounce.recipient())) {
			log.info("A {} of {} is not marked: the customer's address has changed since", bounce.kind(),
					delivery.deliveryId());
			return;
		}
		customers.markContactState(delivery.customerId(), delivery.channel(), state, reason);
	}

	private Optional<Tracked> tracked(UUID deliveryId) {
		return jdbc.sql("""
				SELECT delivery_id, customer_id, communication_id, channel FROM tracked_delivery
				 WHERE delivery_id = :delivery AND customer_id IS NOT NULL
				""")
			.param("delivery", deliveryId)
			.query((rs, row) -> new Tracked(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
					rs.getObject(3, UUID.class), Channel.valueOf(rs.getString(4))))
			.optional();
	}

	private void count(String source, String outcome) {
		meters.counter(METER, "source", source, "outcome", outcome).increment();
	}

	private static String type(Bounce.Kind kind) {
		return switch (kind) {
			case HARD -> "BOUNCED";
			case SOFT -> "SOFT_BOUNCED";
			case COMPLAINT -> "COMPLAINED";
		};
	}

	private static String describe(Bounce bounce) {
		StringBuilder text = new StringBuilder();
		if (bounce.status() != null) {
			text.append(bounce.status());
		}
		if (bounce.detail() != null) {
			text.append((text.length() > 0) ? ": " : "").append(bounce.detail());
		}
		String described = text.toString();
		return (described.length() > 200) ? described.substring(0, 200) : described;
	}

	private record Tracked(UUID deliveryId, UUID customerId, @Nullable UUID communicationId, Channel channel) {
	}

}
