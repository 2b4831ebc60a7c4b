package org.ccm.delivery;

import java.time.Instant;
import java.util.UUID;

import org.ccm.core.Channel;
import org.jspecify.annotations.Nullable;

/**
 * Published whenever a delivery changes status.
 */
public record DeliveryStatusChanged(UUID communicationId, UUID deliveryId, UUID customerId, Channel channel,
		DeliveryStatus status, Instant at, @Nullable String reason) {

}
