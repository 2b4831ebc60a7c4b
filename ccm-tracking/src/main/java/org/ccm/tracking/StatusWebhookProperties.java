package org.ccm.tracking;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How status changes are POSTed to client systems' webhooks.
 *
 * @param enabled whether this instance sends (one instance at a time does, under a lock)
 * @param pollInterval the pause between two rounds of sending
 * @param batchSize messages sent in one round at most
 * @param timeout connect and read timeout of one POST
 * @param firstRetry the delay before the second attempt; each further one doubles it
 * @param maxRetryDelay the longest delay between two attempts
 * @param giveUpAfter how long a message is retried before it is marked failed
 * @param allowPlainHttp whether webhook URLs may be {@code http:} (tests, closed
 * networks); otherwise only {@code https:}
 */
@ConfigurationProperties("ccm.tracking.webhooks")
@Validated
record StatusWebhookProperties(@DefaultValue("true") boolean enabled,
		@DefaultValue("5s") @NotNull Duration pollInterval, @DefaultValue("100") @Min(1) int batchSize,
		@DefaultValue("10s") @NotNull Duration timeout, @DefaultValue("30s") @NotNull Duration firstRetry,
		@DefaultValue("1h") @NotNull Duration maxRetryDelay, @DefaultValue("24h") @NotNull Duration giveUpAfter,
		@DefaultValue("false") boolean allowPlainHttp) {

	/**
	 * The delay after the given number of failed attempts.
	 */
	Duration retryDelay(int failedAttempts) {
		Duration delay = firstRetry.multipliedBy(1L << Math.min(Math.max(failedAttempts - 1, 0), 20));
		return (delay.compareTo(maxRetryDelay) > 0) ? maxRetryDelay : delay;
	}

}
