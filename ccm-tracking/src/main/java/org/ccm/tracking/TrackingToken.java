package org.ccm.tracking;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import org.ccm.core.Channel;
import org.jspecify.annotations.Nullable;

/**
 * What a signed link stands for: an open, a click on {@code target}, an unsubscribe of
 * one delivery's channel, or a customer's portal (with when the link was issued, so that
 * it can expire).
 */
record TrackingToken(Kind kind, UUID customerId, @Nullable Delivery delivery, @Nullable String target,
		@Nullable Instant issuedAt) {

	enum Kind {

		OPEN('o'), CLICK('c'), UNSUBSCRIBE('u'), PORTAL('p');

		final char code;

		Kind(char code) {
			this.code = code;
		}

		static @Nullable Kind of(int code) {
			for (Kind kind : values()) {
				if (kind.code == code) {
					return kind;
				}
			}
			return null;
		}

	}

	/**
	 * The delivery a message link belongs to.
	 */
	record Delivery(UUID deliveryId, UUID communicationId, Channel channel) {

	}

	TrackingToken {
		if ((kind == Kind.PORTAL) != (delivery == null)) {
			throw new IllegalArgumentException("only portal tokens are not bound to a delivery");
		}
		if ((kind == Kind.CLICK) != (target != null)) {
			throw new IllegalArgumentException("exactly the click tokens carry a target");
		}
		if ((kind == Kind.PORTAL) != (issuedAt != null)) {
			throw new IllegalArgumentException("exactly the portal tokens carry when they were issued");
		}
	}

	TrackingToken(Kind kind, UUID customerId, @Nullable Delivery delivery, @Nullable String target) {
		this(kind, customerId, delivery, target, null);
	}

	static TrackingToken open(UUID customerId, Delivery delivery) {
		return new TrackingToken(Kind.OPEN, customerId, delivery, null);
	}

	static TrackingToken click(UUID customerId, Delivery delivery, String target) {
		return new TrackingToken(Kind.CLICK, customerId, delivery, target);
	}

	static TrackingToken unsubscribe(UUID customerId, Delivery delivery) {
		return new TrackingToken(Kind.UNSUBSCRIBE, customerId, delivery, null);
	}

	/**
	 * A portal token; {@code issuedAt} is kept to the second.
	 */
	static TrackingToken portal(UUID customerId, Instant issuedAt) {
		return new TrackingToken(Kind.PORTAL, customerId, null, null, issuedAt.truncatedTo(ChronoUnit.SECONDS));
	}

	Delivery requireDelivery() {
		if (delivery == null) {
			throw new IllegalStateException(kind + " token has no delivery");
		}
		return delivery;
	}

}
