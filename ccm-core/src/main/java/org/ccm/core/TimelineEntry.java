package org.ccm.core;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

public record TimelineEntry(UUID id, InteractionType type, @Nullable Channel channel, @Nullable UUID communicationId,
		@Nullable UUID deliveryId, Instant occurredAt, Map<String, Object> detail) {

}
