package org.ccm.delivery.spi;

import java.util.UUID;

/**
 * The delivery a message belongs to, for the links and pixel that track it.
 */
public record TrackedMessage(UUID communicationId, UUID deliveryId, UUID customerId) {

}
