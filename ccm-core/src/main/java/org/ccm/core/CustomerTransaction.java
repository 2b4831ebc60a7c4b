package org.ccm.core;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * A recorded transaction of a customer.
 */
record CustomerTransaction(UUID id, UUID customerId, String type, @Nullable String product, @Nullable BigDecimal amount,
		@Nullable String currency, Instant occurredAt, Map<String, Object> payload, Instant recordedAt) {

}
