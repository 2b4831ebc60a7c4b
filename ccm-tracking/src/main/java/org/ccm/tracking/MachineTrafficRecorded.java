package org.ccm.tracking;

import java.util.UUID;

import org.ccm.core.Channel;

/**
 * Opens or clicks of a delivery were taken for a machine's (an image proxy's prefetch, a
 * mail scanner's click) and counted apart from people's. Published synchronously in the
 * transaction that recorded them, so a listener that keeps its own count (a campaign's
 * results) neither misses nor doubles one.
 *
 * @param opens machine opens recorded now
 * @param clicks machine clicks recorded now, including earlier clicks a burst showed to
 * be a scanner's
 */
public record MachineTrafficRecorded(UUID communicationId, UUID deliveryId, Channel channel, int opens, int clicks) {

}
