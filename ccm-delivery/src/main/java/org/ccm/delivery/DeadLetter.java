package org.ccm.delivery;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * A Kafka record that failed after every retry.
 *
 * @param deliveryId the delivery it was about, when it came from a channel topic
 */
public record DeadLetter(UUID id, String originalTopic, @Nullable String key, String payload, @Nullable String error,
		@Nullable UUID deliveryId, Instant receivedAt, @Nullable Instant replayedAt, int replays) {

}
