package org.ccm.delivery;

import java.util.List;
import java.util.UUID;

import org.ccm.core.Channel;
import org.jspecify.annotations.Nullable;

/**
 * One channel's delivery of a communication with its status history, oldest first.
 */
public record DeliveryView(UUID id, Channel channel, DeliveryStatus status, @Nullable String failureReason,
		List<StatusChange> history) {

}
