package org.ccm.delivery;

import java.time.Instant;
import java.util.UUID;

import org.ccm.core.Channel;
import org.jspecify.annotations.Nullable;

/**
 * Published whenever a delivery changes status, with what a listener needs to know about
 * the delivery, so that it does not have to ask the delivery module back.
 *
 * @param template the key of the template the communication was composed from
 */
public record DeliveryStatusChanged(UUID communicationId, UUID deliveryId, UUID customerId, String template,
		Channel channel, DeliveryStatus status, Instant at, @Nullable String reason) {

}
