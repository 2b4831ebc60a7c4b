package org.ccm.delivery;

import java.time.Instant;
import java.util.UUID;

/**
 * The answer to an accepted send. A replay of the same idempotency key and body returns
 * the first acceptance with {@code replayed} set.
 */
public record Acceptance(UUID communicationId, Instant acceptedAt, boolean replayed) {

}
