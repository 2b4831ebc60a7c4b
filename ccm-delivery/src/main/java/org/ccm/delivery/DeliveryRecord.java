package org.ccm.delivery;

import java.time.Instant;
import java.util.UUID;

import org.ccm.core.Channel;
import org.ccm.core.Purpose;
import org.jspecify.annotations.Nullable;

/**
 * A delivery row as stored.
 */
record DeliveryRecord(UUID id, UUID communicationId, UUID customerId, String template, Channel channel, Purpose purpose,
		DeliveryStatus status, @Nullable String failureReason, @Nullable Instant notBefore) {

	DeliveryQueued queued() {
		return new DeliveryQueued(id, communicationId, customerId, channel);
	}

}
