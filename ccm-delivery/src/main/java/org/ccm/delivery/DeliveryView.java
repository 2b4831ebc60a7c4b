package org.ccm.delivery;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.ccm.core.Channel;
import org.jspecify.annotations.Nullable;

/**
 * One channel's delivery of a communication with its status history, oldest first.
 *
 * @param provider which provider carried the message (a relay, an SMS route), once sent
 * @param followUpFailure what failed after the provider took the message (the archive
 * copy); the message itself was sent and is not sent again
 * @param nextAttemptAt when a delivery waiting after a temporary failure is tried again;
 * null in any other status
 */
public record DeliveryView(UUID id, Channel channel, DeliveryStatus status, @Nullable String failureReason,
		List<StatusChange> history, @Nullable String provider, @Nullable String followUpFailure,
		@Nullable Instant nextAttemptAt) {

}
