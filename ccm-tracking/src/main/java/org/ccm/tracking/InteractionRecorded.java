package org.ccm.tracking;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.ccm.core.Channel;
import org.ccm.core.InteractionType;
import org.jspecify.annotations.Nullable;

/**
 * Published when the tracking module recorded something a customer or a provider did with
 * a message: the first open of a delivery, a click, an unsubscribe, a delivery receipt,
 * an inbound STOP. Repeated opens of the same delivery are counted but not published
 * again.
 *
 * @param detail plain values only (the clicked URL, the provider's status)
 */
record InteractionRecorded(UUID customerId, InteractionType type, Channel channel, @Nullable UUID communicationId,
		@Nullable UUID deliveryId, Instant occurredAt, Map<String, String> detail) {

	public InteractionRecorded {
		detail = Map.copyOf(detail);
	}

}
