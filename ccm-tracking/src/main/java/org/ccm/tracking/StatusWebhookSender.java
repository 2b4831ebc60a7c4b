package org.ccm.tracking;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/**
 * Sends the queued status changes to client webhooks, one instance at a time. A message
 * goes out only when every earlier change of its communication has been delivered or
 * given up on, so a receiver sees a communication's changes in order. A failed attempt
 * (no 2xx answer in time) is retried with doubling delays until the retry period ends;
 * then the message is marked failed, visible in the key's message list.
 */
@Component
class StatusWebhookSender {

	private static final Logger log = LoggerFactory.getLogger(StatusWebhookSender.class);

	static final String ID_HEADER = "X-CCM-Webhook-Id";

	private final JdbcClient jdbc;

	private final StatusWebhookProperties properties;

	private final Clock clock;

	private final RestClient http;

	StatusWebhookSender(JdbcClient jdbc, StatusWebhookProperties properties, Clock clock) {
		this.jdbc = jdbc;
		this.properties = properties;
		this.clock = clock;
		// redirects are not followed: the registered URL is the only one called
		HttpClient client = HttpClient.newBuilder()
			.connectTimeout(properties.timeout())
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
		JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(client);
		requests.setReadTimeout(properties.timeout());
		this.http = RestClient.builder().requestFactory(requests).build();
	}

	@Scheduled(fixedDelayString = "${ccm.tracking.webhooks.poll-interval:5s}",
			initialDelayString = "${ccm.tracking.webhooks.poll-interval:5s}")
	@SchedulerLock(name = "ccm-tracking-status-webhooks")
	void scheduledSend() {
		if (properties.enabled()) {
			send();
		}
	}

	private record Due(long id, String url, String secret, String payload, int attempts, Instant createdAt) {
	}

	/**
	 * Sends the messages that are due.
	 * @return how many were delivered
	 */
	int send() {
		Instant now = clock.instant();
		List<Due> due = jdbc.sql("""
				SELECT m.id, w.url, w.secret, m.payload, m.attempts, m.created_at
				  FROM status_webhook_message m JOIN status_webhook w ON w.api_key_id = m.api_key_id
				 WHERE m.delivered_at IS NULL AND m.failed_at IS NULL AND m.next_attempt_at <= :now
				   AND NOT EXISTS (SELECT 1 FROM status_webhook_message e
				                    WHERE e.api_key_id = m.api_key_id AND e.communication_id = m.communication_id
				                      AND e.delivered_at IS NULL AND e.failed_at IS NULL
				                      AND (e.occurred_at, e.id) < (m.occurred_at, m.id))
				 ORDER BY m.occurred_at, m.id LIMIT :limit
				""")
			.param("now", Timestamp.from(now))
			.param("limit", properties.batchSize())
			.query((rs, row) -> new Due(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5),
					rs.getTimestamp(6).toInstant()))
			.list();
		int delivered = 0;
		// a receiver that failed once in a round is not called again in it: one that
		// hangs must not hold the round (and its lock) for every message queued for it
		Set<String> failed = new HashSet<>();
		for (Due message : due) {
			if (failed.contains(message.url())) {
				continue;
			}
			if (attempt(message)) {
				delivered++;
			}
			else {
				failed.add(message.url());
			}
		}
		return delivered;
	}

	private boolean attempt(Due message) {
		byte[] body = message.payload().getBytes(StandardCharsets.UTF_8);
		Instant at = clock.instant();
		long timestamp = at.getEpochSecond();
		String result;
		boolean delivered;
		try {
			HttpStatusCode status = http.post()
				.uri(URI.create(message.url()))
				.contentType(MediaType.APPLICATION_JSON)
				.header(WebhookSignature.TIMESTAMP_HEADER, String.valueOf(timestamp))
				.header(WebhookSignature.SIGNATURE_HEADER, WebhookSignature.sign(message.secret(), timestamp, body))
				.header(ID_HEADER, String.valueOf(message.id()))
				.body(body)
				.exchange((request, response) -> response.getStatusCode(), true);
			delivered = status.is2xxSuccessful();
			result = "HTTP " + status.value();
		}
		catch (RestClientException | IllegalArgumentException ex) {
			delivered = false;
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			result = cause.getClass().getSimpleName() + ((cause.getMessage() != null) ? ": " + cause.getMessage() : "");
		}
		int attempts = message.attempts() + 1;
		Instant done = clock.instant();
		if (delivered) {
			jdbc.sql("""
					UPDATE status_webhook_message SET delivered_at = :at, attempts = :attempts, last_attempt_at = :at,
					       last_result = :result WHERE id = :id
					""")
				.param("at", Timestamp.from(done))
				.param("attempts", attempts)
				.param("result", result)
				.param("id", message.id())
				.update();
			return true;
		}
		Instant next = done.plus(properties.retryDelay(attempts));
		boolean giveUp = !next.isBefore(message.createdAt().plus(properties.giveUpAfter()));
		if (giveUp) {
			log.warn("Status webhook message {} to {} failed for good after {} attempts: {}", message.id(),
					message.url(), attempts, result);
		}
		jdbc.sql("""
				UPDATE status_webhook_message SET attempts = :attempts, last_attempt_at = :at, last_result = :result,
				       next_attempt_at = :next, failed_at = :failed WHERE id = :id
				""")
			.param("attempts", attempts)
			.param("at", Timestamp.from(done))
			.param("result", (result.length() > 500) ? result.substring(0, 500) : result)
			.param("next", Timestamp.from(next))
			.param("failed", giveUp ? Timestamp.from(done) : null)
			.param("id", message.id())
			.update();
		return false;
	}

}
