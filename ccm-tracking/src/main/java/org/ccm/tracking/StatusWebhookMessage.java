package org.ccm.tracking;

import java.time.Instant;
import java.util.UUID;

import org.ccm.core.Channel;
import org.jspecify.annotations.Nullable;

/**
 * One status change queued for a client's webhook, and how sending it went.
 *
 * @param id the message id, also sent as {@code X-CCM-Webhook-Id} so that the receiver
 * can drop a message it already took
 * @param state {@code PENDING} (waiting or retrying), {@code DELIVERED} (answered 2xx) or
 * {@code FAILED} (not delivered within the retry period, or the webhook was removed)
 * @param lastResult the last attempt's answer ({@code HTTP 503}) or error
 */
public record StatusWebhookMessage(long id, UUID communicationId, UUID deliveryId, Channel channel, String status,
		Instant occurredAt, String state, int attempts, @Nullable Instant lastAttemptAt, @Nullable String lastResult,
		@Nullable Instant nextAttemptAt) {

}
