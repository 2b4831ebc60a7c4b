package org.ccm.core;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * One entry for a customer's timeline. {@code detail} holds plain values only (strings,
 * numbers, booleans, lists and maps of them), never domain objects.
 */
public record Interaction(UUID customerId, InteractionType type, @Nullable Channel channel,
		@Nullable UUID communicationId, @Nullable UUID deliveryId, Instant occurredAt, Map<String, Object> detail) {

	public Interaction {
		detail = Map.copyOf(detail);
	}

}
