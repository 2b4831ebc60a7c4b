package org.ccm.delivery;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.ccm.core.Channel;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Configuration of the delivery module ({@code ccm.delivery.*}). The defaults work for
 * the local run; production overrides the provider settings from the environment.
 *
 * @param topics Kafka topic names
 * @param kafka topic layout and how long to wait for the broker
 * @param email the email channel
 * @param sms the SMS channel (Twilio)
 * @param print the print channel
 * @param retries how a failing delivery is retried before it is parked as a dead letter
 * @param marketing quiet hours and frequency caps, which apply to marketing only
 */
@ConfigurationProperties("ccm.delivery")
@Validated
public record DeliveryProperties(@DefaultValue @Valid Topics topics, @DefaultValue @Valid Kafka kafka,
		@DefaultValue @Valid Email email, @DefaultValue @Valid Sms sms, @DefaultValue @Valid Print print,
		@DefaultValue @Valid Retries retries, @DefaultValue @Valid Marketing marketing) {

	public record Topics(@DefaultValue("ccm.communications.requested") @NotBlank String requested,
			@DefaultValue("ccm.delivery.email") @NotBlank String email,
			@DefaultValue("ccm.delivery.sms") @NotBlank String sms,
			@DefaultValue("ccm.delivery.print") @NotBlank String print,
			@DefaultValue("ccm.delivery.portal") @NotBlank String portal) {

		public String forChannel(Channel channel) {
			return switch (channel) {
				case EMAIL -> email;
				case SMS -> sms;
				case PRINT -> print;
				case PORTAL -> portal;
			};
		}

		public List<String> all() {
			return List.of(requested, email, sms, print, portal);
		}

	}

	/**
	 * @param partitions partitions of each topic created by the application (keys are
	 * customer ids)
	 * @param replicas replication factor of each topic created by the application
	 * @param sendTimeout how long to wait for the broker's acknowledgement of a published
	 * event
	 * @param resubmitAfter age after which an event publication that did not reach Kafka
	 * is resubmitted
	 * @param consumers consumer threads per topic and instance, where {@code concurrency}
	 * names none
	 * @param concurrency consumer threads per topic and instance for routing and each
	 * channel
	 */
	public record Kafka(@DefaultValue("3") @Min(1) int partitions, @DefaultValue("1") @Min(1) short replicas,
			@DefaultValue("10s") @NotNull Duration sendTimeout, @DefaultValue("1m") @NotNull Duration resubmitAfter,
			@DefaultValue("1") @Min(1) int consumers, @DefaultValue @Valid Concurrency concurrency) {

		/**
		 * Consumer threads of the routing topic ({@code channel} null) or of a channel's
		 * topic.
		 */
		public int consumersFor(@Nullable Channel channel) {
			Integer configured = (channel == null) ? concurrency.routing() : switch (channel) {
				case EMAIL -> concurrency.email();
				case SMS -> concurrency.sms();
				case PRINT -> concurrency.print();
				case PORTAL -> concurrency.portal();
			};
			return (configured != null) ? configured : consumers;
		}

	}

	/**
	 * Consumer threads per topic; unset ones take {@code ccm.delivery.kafka.consumers}.
	 * Email composes and sends on its consumer threads, so the application's defaults
	 * give it one per partition: while one waits for the database or the SMTP server,
	 * another composes. Threads beyond the topic's partitions add nothing.
	 */
	public record Concurrency(@Nullable @Min(1) Integer routing, @Nullable @Min(1) Integer email,
			@Nullable @Min(1) Integer sms, @Nullable @Min(1) Integer print, @Nullable @Min(1) Integer portal) {

	}

	/**
	 * @param from the sender address
	 * @param unsubscribeMailto an address for {@code List-Unsubscribe} besides the
	 * one-click URL
	 * @param connections SMTP connections per instance, each reused for many messages
	 * @param messagesPerConnection messages sent over one connection before it is
	 * replaced
	 * @param checkIdleAfter a connection idle for longer is checked ({@code NOOP}) before
	 * it is used again
	 * @param closeIdleAfter a connection idle for longer is closed
	 */
	public record Email(@DefaultValue("CCM <noreply@localhost>") @NotBlank String from,
			@Nullable String unsubscribeMailto, @DefaultValue("4") @Min(1) int connections,
			@DefaultValue("1000") @Min(1) int messagesPerConnection,
			@DefaultValue("10s") @NotNull Duration checkIdleAfter,
			@DefaultValue("1m") @NotNull Duration closeIdleAfter) {

	}

	public record Sms(@DefaultValue @Valid Twilio twilio) {

	}

	/**
	 * @param baseUrl where the Twilio REST API is reached; a stand-in in tests and the
	 * local run
	 * @param statusCallback URL that Twilio calls with delivery receipts, if any
	 */
	public record Twilio(@DefaultValue("") String accountSid, @DefaultValue("") String authToken,
			@DefaultValue("") String from, @DefaultValue("https://api.twilio.com") @NotBlank String baseUrl,
			@Nullable String statusCallback) {

		public boolean configured() {
			return !accountSid.isBlank() && !authToken.isBlank() && !from.isBlank();
		}

	}

	/**
	 * @param batchDirectory where print batches are written, one folder per day
	 * @param closeCheck how often open batches of past days are closed
	 */
	public record Print(@DefaultValue("./var/print") @NotNull Path batchDirectory,
			@DefaultValue("5m") @NotNull Duration closeCheck) {

	}

	/**
	 * @param attempts delivery attempts before a message is parked as a dead letter
	 * @param initialInterval pause before the first retry
	 * @param multiplier growth of the pause between retries
	 * @param maxInterval longest pause between retries
	 * @param inDoubtAfter how long a delivery may stay claimed before it is reported as a
	 * technical failure whose outcome is unknown (the worker stopped while handing it to
	 * the provider)
	 */
	public record Retries(@DefaultValue("4") @Min(1) int attempts,
			@DefaultValue("1s") @NotNull Duration initialInterval, @DefaultValue("2.0") double multiplier,
			@DefaultValue("30s") @NotNull Duration maxInterval, @DefaultValue("15m") @NotNull Duration inDoubtAfter) {

	}

	/**
	 * @param quietHoursStart start of the quiet hours for customers who set none
	 * @param quietHoursEnd end of the quiet hours for customers who set none
	 * @param quietChannels channels that quiet hours apply to (interrupting ones)
	 * @param maxPerDay marketing deliveries per customer in any rolling 24 hours
	 * @param maxPerWeek marketing deliveries per customer in any rolling 7 days
	 * @param deferredCheck how often deferred deliveries whose time has come are queued
	 * again
	 */
	public record Marketing(@DefaultValue("21:00") @NotNull LocalTime quietHoursStart,
			@DefaultValue("08:00") @NotNull LocalTime quietHoursEnd, @DefaultValue( {
					"EMAIL", "SMS" }) @NotNull List<Channel> quietChannels,
			@DefaultValue("2") @Min(0) int maxPerDay, @DefaultValue("5") @Min(0) int maxPerWeek,
			@DefaultValue("1m") @NotNull Duration deferredCheck){

	}

}
