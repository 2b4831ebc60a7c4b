package org.ccm.tracking;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Configuration of the tracking module.
 *
 * @param baseUrl the public address of this application, as customers and providers reach
 * it; tracking links, portal links and the webhook signatures are built on it
 * @param signingSecret the HMAC key of every tracking and portal link; at least 32 bytes
 * @param twilio how provider webhooks are verified
 * @param events the Kafka topic through which opens and clicks are written in batches
 * @param portalLinkValidity how long a portal link opens the customer's inbox after it
 * was issued; messages carry fresh links
 */
@ConfigurationProperties("ccm.tracking")
@Validated
record TrackingProperties(@DefaultValue("http://localhost:8080") @NotNull URI baseUrl, @NotBlank String signingSecret,
		@DefaultValue @Valid Twilio twilio, @DefaultValue @Valid Events events,
		@DefaultValue("90d") @NotNull Duration portalLinkValidity) {

	static final int MIN_SECRET_BYTES = 32;

	@AssertTrue(message = "must be at least 32 bytes long")
	boolean isSigningSecret() {
		return signingSecret != null && signingSecret.getBytes(StandardCharsets.UTF_8).length >= MIN_SECRET_BYTES;
	}

	/**
	 * The base URL without a trailing slash, ready to have a path appended.
	 */
	String base() {
		String url = baseUrl.toString();
		return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
	}

	/**
	 * @param topic where opens and clicks wait to be written in batches (keyed by
	 * customer)
	 * @param partitions partitions of the topic when the application creates it
	 * @param replicas replication factor of the topic when the application creates it
	 * @param sendTimeout how long a request waits for the broker before it writes the
	 * interaction itself
	 */
	record Events(@DefaultValue("ccm.tracking.events") @NotBlank String topic,
			@DefaultValue("3") @Min(1) int partitions, @DefaultValue("1") @Min(1) short replicas,
			@DefaultValue("2s") @NotNull Duration sendTimeout) {

		static final Events DEFAULT = new Events("ccm.tracking.events", 3, (short) 1, Duration.ofSeconds(2));

	}

	/**
	 * @param authToken the Twilio account's auth token that signs its webhooks
	 * ({@code X-Twilio-Signature}); without it every webhook is refused
	 */
	record Twilio(@Nullable String authToken) {

	}

}
