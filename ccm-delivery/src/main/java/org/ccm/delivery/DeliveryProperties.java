package org.ccm.delivery;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
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
 * @param portal transactional documents left unread in the portal
 */
@ConfigurationProperties("ccm.delivery")
@Validated
public record DeliveryProperties(@DefaultValue @Valid Topics topics, @DefaultValue @Valid Kafka kafka,
		@DefaultValue @Valid Email email, @DefaultValue @Valid Sms sms, @DefaultValue @Valid Print print,
		@DefaultValue @Valid Retries retries, @DefaultValue @Valid Marketing marketing,
		@DefaultValue @Valid Portal portal) {

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
	 * @param connectTimeout how long to wait for the SMTP server to accept the connection
	 * @param readTimeout how long to wait for each answer of the SMTP server: also the
	 * longest a server that stops answering holds up the messages queued behind on the
	 * same partition, and a timeout after the server took a message can send it twice, so
	 * keep it above the relay's normal answer time and below the delay the others may
	 * take
	 * @param writeTimeout how long writing to the SMTP server may block
	 * @param returnPath the bounce address; when set, each message's envelope sender is
	 * {@code local+<deliveryId>@domain} (VERP), so that a bounce names its delivery
	 * @param secondaryRelay a second relay, used while the first one fails
	 * @param failover when the first relay counts as failing and when it is tried again
	 */
	public record Email(@DefaultValue("CCM <noreply@localhost>") @NotBlank String from,
			@Nullable String unsubscribeMailto, @DefaultValue("4") @Min(1) int connections,
			@DefaultValue("1000") @Min(1) int messagesPerConnection,
			@DefaultValue("10s") @NotNull Duration checkIdleAfter, @DefaultValue("1m") @NotNull Duration closeIdleAfter,
			@DefaultValue("3s") @NotNull Duration connectTimeout, @DefaultValue("4s") @NotNull Duration readTimeout,
			@DefaultValue("4s") @NotNull Duration writeTimeout, @Nullable String returnPath,
			@DefaultValue @Valid Relay secondaryRelay, @DefaultValue @Valid Failover failover) {

	}

	/**
	 * A second SMTP relay, used while the first one ({@code spring.mail.*}) fails.
	 *
	 * @param host the relay's host; none means there is no second relay
	 */
	public record Relay(@Nullable String host, @DefaultValue("25") int port, @Nullable String username,
			@Nullable String password, @DefaultValue("smtp") @NotBlank String protocol) {

		public boolean configured() {
			return host != null && !host.isBlank();
		}

	}

	/**
	 * When a channel's first provider counts as failing and when it is tried again.
	 *
	 * @param failureRateThreshold percentage of failed calls over the window that
	 * switches to the next provider
	 * @param window the sliding window the failure rate is measured over
	 * @param minimumCalls calls in the window before the rate counts
	 * @param switchBackAfter how long the next provider carries the messages before the
	 * first one is tried again
	 * @param trialCalls messages sent to the first provider on trial; if they pass it
	 * takes over again
	 */
	public record Failover(@DefaultValue("50") float failureRateThreshold, @DefaultValue("1m") @NotNull Duration window,
			@DefaultValue("10") @Min(1) int minimumCalls, @DefaultValue("5m") @NotNull Duration switchBackAfter,
			@DefaultValue("3") @Min(1) int trialCalls) {

	}

	/**
	 * @param twilio the Twilio account (or messaging service) SMS go through
	 * @param secondary a second route (another account or messaging service), used while
	 * the first fails; unset means none
	 * @param failover when the first route counts as failing and when it is tried again
	 */
	public record Sms(@DefaultValue @Valid Twilio twilio, @DefaultValue @Valid Twilio secondary,
			@DefaultValue @Valid Failover failover) {

	}

	/**
	 * @param baseUrl where the Twilio REST API is reached; a stand-in in tests and the
	 * local run
	 * @param statusCallback URL that Twilio calls with delivery receipts, if any
	 * @param connectTimeout how long to wait for Twilio to accept the connection
	 * @param readTimeout how long to wait for Twilio's answer, and so the longest a call
	 * that never answers holds up the SMS behind it on the same partition
	 * @param messagingServiceSid a messaging service to send through instead of the
	 * {@code from} number
	 */
	public record Twilio(@DefaultValue("") String accountSid, @DefaultValue("") String authToken,
			@DefaultValue("") String from, @DefaultValue("https://api.twilio.com") @NotBlank String baseUrl,
			@Nullable String statusCallback, @DefaultValue("3s") @NotNull Duration connectTimeout,
			@DefaultValue("4s") @NotNull Duration readTimeout, @Nullable String messagingServiceSid) {

		public boolean configured() {
			return !accountSid.isBlank() && !authToken.isBlank()
					&& (!from.isBlank() || (messagingServiceSid != null && !messagingServiceSid.isBlank()));
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
	 * @param attempts attempts at routing an accepted communication (database work only)
	 * before it is parked as a dead letter
	 * @param initialInterval pause before routing is retried
	 * @param multiplier growth of the pause between routing retries
	 * @param maxInterval longest pause between routing retries
	 * @param schedule pauses before the retries of a delivery that failed temporarily (a
	 * provider down or busy); the last one repeats until {@code maxAge}. The pauses are
	 * spent on retry topics, so a waiting delivery never holds up the others
	 * @param maxAge how long after its first attempt a delivery is still retried; then it
	 * is parked as a dead letter (RFC 5321 expects mail to be retried for days)
	 * @param inDoubtAfter how long a delivery may stay claimed before it is parked as a
	 * dead letter whose outcome is unknown (the worker stopped while handing it to the
	 * provider)
	 * @param recordSentWithin how long a worker keeps trying to record a message the
	 * provider took when the database cannot be reached, before it leaves the delivery in
	 * doubt: a database restart shorter than this loses no record of a message sent
	 */
	public record Retries(@DefaultValue("4") @Min(1) int attempts,
			@DefaultValue("1s") @NotNull Duration initialInterval, @DefaultValue("2.0") double multiplier,
			@DefaultValue("30s") @NotNull Duration maxInterval, @DefaultValue( {
					"1m", "5m", "30m", "2h", "6h" }) @NotEmpty List<Duration> schedule,
			@DefaultValue("3d") @NotNull Duration maxAge, @DefaultValue("15m") @NotNull Duration inDoubtAfter,
			@DefaultValue("1m") @NotNull Duration recordSentWithin){

		/**
		 * Every pause before a retry, in order: the schedule, its last pause repeated as
		 * long as the retries stay within {@code maxAge}.
		 */
		public List<Duration> delays() {
			List<Duration> delays = new ArrayList<>();
			Duration total = Duration.ZERO;
			for (int i = 0; i < 1000; i++) {
				Duration next = schedule.get(Math.min(i, schedule.size() - 1));
				if (next.isZero() || next.isNegative() || total.plus(next).compareTo(maxAge) > 0) {
					break;
				}
				total = total.plus(next);
				delays.add(next);
			}
			return delays;
		}

	}

	/**
	 * @param printUnreadAfter a transactional document still unread in the portal this
	 * long after it arrived is sent to print as well; zero never does
	 * @param printUnreadAfterByTemplate the same per template key, for the templates that
	 * need another period (a reminder sooner, a statement never)
	 * @param unreadCheck how often unread documents are looked for
	 */
	public record Portal(@DefaultValue("14d") @NotNull Duration printUnreadAfter,
			@DefaultValue Map<String, Duration> printUnreadAfterByTemplate,
			@DefaultValue("1h") @NotNull Duration unreadCheck) {

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
