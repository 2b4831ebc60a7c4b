package org.ccm.tracking;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How bounces and complaints are heard back: the mailbox the return path delivers to, the
 * providers' signed webhook, and when soft bounces suppress an address.
 *
 * @param mailbox the IMAP mailbox that receives delivery status notifications and
 * feedback reports
 * @param softBounceLimit soft bounces (4.x.x, delayed) of one address within
 * {@code softBounceWindow} after which the address is suppressed
 * @param softBounceWindow how far back soft bounces are counted
 * @param webhook the JSON webhook of providers that report bounces themselves
 */
@ConfigurationProperties("ccm.tracking.bounces")
@Validated
record BounceProperties(@DefaultValue @Valid Mailbox mailbox, @DefaultValue("3") @Min(1) int softBounceLimit,
		@DefaultValue("7d") @NotNull Duration softBounceWindow, @DefaultValue @Valid Webhook webhook) {

	/**
	 * @param enabled whether the mailbox is polled; off until a host is configured
	 * @param host the IMAP server
	 * @param port its port (143 for IMAP with STARTTLS, 993 for IMAPS)
	 * @param ssl whether to speak IMAPS (TLS from the first byte)
	 * @param user the mailbox's login
	 * @param password its password
	 * @param folder where bounces arrive
	 * @param processedFolder where a report goes once it has been recorded
	 * @param unreadableFolder where a message goes that is not a report we can read or
	 * match to a delivery; it waits there for a person
	 * @param pollInterval the pause between two polls
	 * @param batchSize messages read in one poll at most
	 * @param timeout connection and read timeout of the IMAP server
	 */
	record Mailbox(@DefaultValue("false") boolean enabled, @Nullable String host,
			@DefaultValue("993") @Min(1) @Max(65535) int port, @DefaultValue("true") boolean ssl, @Nullable String user,
			@Nullable String password, @DefaultValue("INBOX") @NotBlank String folder,
			@DefaultValue("Processed") @NotBlank String processedFolder,
			@DefaultValue("Unreadable") @NotBlank String unreadableFolder,
			@DefaultValue("1m") @NotNull Duration pollInterval, @DefaultValue("200") @Min(1) int batchSize,
			@DefaultValue("30s") @NotNull Duration timeout) {

		@AssertTrue(message = "host must be set when the mailbox is enabled")
		boolean isHostSet() {
			return !enabled || (host != null && !host.isBlank());
		}

		@Override
		public String toString() {
			// never print the password, whatever logs this
			return "Mailbox[enabled=" + enabled + ", host=" + host + ", port=" + port + ", user=" + user + ", folder="
					+ folder + "]";
		}

	}

	/**
	 * @param secret the shared secret providers sign their bounce webhooks with
	 * (HMAC-SHA256); without it every call is refused
	 * @param tolerance how far a signed timestamp may lie from our clock, against replays
	 */
	record Webhook(@Nullable String secret, @DefaultValue("5m") @NotNull Duration tolerance) {

		@Override
		public String toString() {
			return "Webhook[secret=" + ((secret != null) ? "(set)" : "(none)") + ", tolerance=" + tolerance + "]";
		}

	}

}
