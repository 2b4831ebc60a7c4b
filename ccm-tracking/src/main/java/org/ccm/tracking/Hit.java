package org.ccm.tracking;

import java.time.Instant;
import java.util.UUID;

import org.ccm.core.Channel;
import org.ccm.tracking.TrackingToken.Delivery;
import org.ccm.tracking.TrackingToken.Kind;
import org.jspecify.annotations.Nullable;

/**
 * An open or a click as it travels through Kafka to the batched writer: the verified
 * link, when it was followed and by whom (user agent and address, to tell machines from
 * people).
 */
record Hit(Kind kind, UUID customerId, UUID deliveryId, UUID communicationId, Channel channel, @Nullable String target,
		Instant at, @Nullable String userAgent, @Nullable String address) {

	static Hit of(TrackingToken token, Instant at) {
		return of(token, at, null, null);
	}

	static Hit of(TrackingToken token, Instant at, @Nullable String userAgent, @Nullable String address) {
		Delivery delivery = token.requireDelivery();
		return new Hit(token.kind(), token.customerId(), delivery.deliveryId(), delivery.communicationId(),
				delivery.channel(), token.target(), at, userAgent, address);
	}

	TrackingToken token() {
		return new TrackingToken(kind, customerId, new Delivery(deliveryId, communicationId, channel), target);
	}

}
