package org.ccm.delivery;

import java.util.UUID;

import org.ccm.core.Channel;

/**
 * Published in the transaction that queued a delivery on a channel; it reaches the
 * channel's worker through Kafka ({@code ccm.delivery.<channel>}, keyed by customer id).
 */
record DeliveryQueued(UUID deliveryId, UUID communicationId, UUID customerId, Channel channel) {

}
