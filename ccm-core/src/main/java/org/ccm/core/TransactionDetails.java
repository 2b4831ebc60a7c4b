package org.ccm.core;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A purchase or other business event reported by a back-office system.
 *
 * @param type what happened ({@code PURCHASE}, {@code REFUND},
 * {@code SUBSCRIPTION_RENEWED})
 * @param product the item or product concerned, as the back office names it
 * @param amount the value, in {@code currency}; required together
 * @param currency ISO 4217 code
 * @param payload anything else, kept as given
 */
record TransactionDetails(String type, @Nullable String product, @Nullable BigDecimal amount, @Nullable String currency,
		Instant occurredAt, Map<String, Object> payload) {

}
