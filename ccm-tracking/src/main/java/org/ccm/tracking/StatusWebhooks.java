package org.ccm.tracking;

import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.ccm.core.Channel;
import org.ccm.core.problems.FieldProblem;
import org.ccm.core.problems.ProblemException;
import org.ccm.core.problems.ProblemType;
import org.ccm.delivery.Communications;
import org.ccm.delivery.DeliveryStatusChanged;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import tools.jackson.databind.json.JsonMapper;

/**
 * Client systems' status webhooks: an API key registers one URL, and every status change
 * of the deliveries of the communications that key sent is queued for it, to be POSTed,
 * signed, in the order the changes happened ({@code docs/webhooks.md}).
 */
@Service
public class StatusWebhooks {

	static final String SECRET_PREFIX = "whsec_";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final int MAX_URL = 2000;

	/** How soon a webhook registered on another instance starts to receive changes. */
	static final java.time.Duration REGISTRATIONS_READ_EVERY = java.time.Duration.ofSeconds(5);

	private final JdbcClient jdbc;

	private final Communications communications;

	private final StatusWebhookProperties properties;

	private final Clock clock;

	private final SecureRandom random = new SecureRandom();

	// whether any key has a webhook, and when that was last read
	private volatile boolean anyRegistered = true;

	private volatile long anyRegisteredReadAt = Long.MIN_VALUE;

	StatusWebhooks(JdbcClient jdbc, Communications communications, StatusWebhookProperties properties, Clock clock) {
		this.jdbc = jdbc;
		this.communications = communications;
		this.properties = properties;
		this.clock = clock;
	}

	/**
	 * Registers (or replaces) the key's webhook with a new secret, shown in the answer
	 * only.
	 * @throws ProblemException naming the {@code url} when it is not an absolute https
	 * URL (http where allowed)
	 */
	@Transactional
	public StatusWebhook register(UUID apiKeyId, @Nullable String url) {
		URI uri = validUrl(url);
		byte[] bytes = new byte[32];
		random.nextBytes(bytes);
		String secret = SECRET_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
		Instant now = clock.instant();
		jdbc.sql("""
				INSERT INTO status_webhook (api_key_id, url, secret, created_at) VALUES (:key, :url, :secret, :at)
				ON CONFLICT (api_key_id) DO UPDATE SET url = excluded.url, secret = excluded.secret,
				       created_at = excluded.created_at
				""")
			.param("key", apiKeyId)
			.param("url", uri.toString())
			.param("secret", secret)
			.param("at", Timestamp.from(now))
			.update();
		this.anyRegistered = true;
		return new StatusWebhook(uri, now, secret);
	}

	@Transactional(readOnly = true)
	public Optional<StatusWebhook> find(UUID apiKeyId) {
		return jdbc.sql("SELECT url, created_at FROM status_webhook WHERE api_key_id = :key")
			.param("key", apiKeyId)
			.query((rs, row) -> new StatusWebhook(URI.create(rs.getString(1)), rs.getTimestamp(2).toInstant(), null))
			.optional();
	}

	/**
	 * Removes the key's webhook; what was still waiting to be sent is marked failed.
	 * @return whether there was one
	 */
	@Transactional
	public boolean remove(UUID apiKeyId) {
		jdbc.sql("""
				UPDATE status_webhook_message SET failed_at = :at, last_result = 'webhook removed'
				 WHERE api_key_id = :key AND delivered_at IS NULL AND failed_at IS NULL
				""").param("key", apiKeyId).param("at", Timestamp.from(clock.instant())).update();
		return jdbc.sql("DELETE FROM status_webhook WHERE api_key_id = :key").param("key", apiKeyId).update() > 0;
	}

	/**
	 * The key's most recent messages, newest first, delivered, pending and failed.
	 */
	@Transactional(readOnly = true)
	public List<StatusWebhookMessage> messages(UUID apiKeyId, int limit) {
		return jdbc.sql("""
				SELECT id, communication_id, delivery_id, payload, status, occurred_at, attempts, last_attempt_at,
				       last_result, next_attempt_at, delivered_at, failed_at
				  FROM status_webhook_message WHERE api_key_id = :key ORDER BY id DESC LIMIT :limit
				""")
			.param("key", apiKeyId)
			.param("limit", Math.max(1, Math.min(limit, 1000)))
			.query((rs, row) -> message(rs))
			.list();
	}

	/**
	 * Whether any API key has a webhook, as read at most {@code REGISTRATIONS_READ_EVERY}
	 * ago (a registration on this instance counts at once). While none has, status
	 * changes are not even queued for {@link #on}: every delivery changes status four
	 * times or more, and each queued event costs the sending path a publication row and
	 * its completion.
	 */
	public boolean anyRegistered() {
		long now = System.nanoTime();
		if (now - this.anyRegisteredReadAt > REGISTRATIONS_READ_EVERY.toNanos()
				|| this.anyRegisteredReadAt == Long.MIN_VALUE) {
			this.anyRegistered = jdbc.sql("SELECT EXISTS (SELECT 1 FROM status_webhook)").query(Boolean.class).single();
			this.anyRegisteredReadAt = now;
		}
		return this.anyRegistered;
	}

	/** Reads the registrations again on the next status change. */
	void forgetRegistrations() {
		this.anyRegisteredReadAt = Long.MIN_VALUE;
	}

	/**
	 * Queues the change for the webhook of the API key that sent the communication, if
	 * that key has one.
	 */
	@ApplicationModuleListener(condition = "@statusWebhooks.anyRegistered()")
	void on(DeliveryStatusChanged changed) {
		communications.acceptedBy(changed.communicationId()).ifPresent((apiKeyId) -> {
			Map<String, Object> payload = new LinkedHashMap<>();
			payload.put("type", "delivery.status_changed");
			payload.put("communicationId", changed.communicationId());
			payload.put("deliveryId", changed.deliveryId());
			payload.put("channel", changed.channel().name());
			payload.put("status", changed.status().name());
			payload.put("reason", changed.reason());
			payload.put("occurredAt", changed.at().toString());
			Instant now = clock.instant();
			jdbc.sql("""
					INSERT INTO status_webhook_message (api_key_id, communication_id, delivery_id, status, occurred_at,
					                                    payload, created_at, next_attempt_at)
					SELECT api_key_id, :communication, :delivery, :status, :occurred, :payload, :now, :now
					  FROM status_webhook WHERE api_key_id = :key
					ON CONFLICT DO NOTHING
					""")
				.param("key", apiKeyId)
				.param("communication", changed.communicationId())
				.param("delivery", changed.deliveryId())
				.param("status", changed.status().name())
				.param("occurred", Timestamp.from(changed.at()))
				.param("payload", JSON.writeValueAsString(payload))
				.param("now", Timestamp.from(now))
				.update();
		});
	}

	private URI validUrl(@Nullable String url) {
		String problem = null;
		URI uri = null;
		if (url == null || url.isBlank() || url.length() > MAX_URL) {
			problem = "must be an absolute URL of at most " + MAX_URL + " characters";
		}
		else {
			try {
				uri = new URI(url.strip());
				String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : "";
				boolean allowed = scheme.equals("https") || (scheme.equals("http") && properties.allowPlainHttp());
				if (!uri.isAbsolute() || uri.getHost() == null || !allowed || uri.getUserInfo() != null) {
					problem = properties.allowPlainHttp() ? "must be an absolute http or https URL without credentials"
							: "must be an absolute https URL without credentials";
				}
			}
			catch (URISyntaxException ex) {
				problem = "is not a valid URL";
			}
		}
		if (problem != null || uri == null) {
			throw new ProblemException(ProblemType.VALIDATION, "The webhook URL is not acceptable",
					List.of(new FieldProblem("url", (problem != null) ? problem : "is not a valid URL")));
		}
		return uri;
	}

	private static StatusWebhookMessage message(ResultSet rs) throws SQLException {
		Map<?, ?> payload = JSON.readValue(rs.getString("payload"), Map.class);
		String state = (rs.getTimestamp("delivered_at") != null) ? "DELIVERED"
				: (rs.getTimestamp("failed_at") != null) ? "FAILED" : "PENDING";
		return new StatusWebhookMessage(rs.getLong("id"), rs.getObject("communication_id", UUID.class),
				rs.getObject("delivery_id", UUID.class), Channel.valueOf(String.valueOf(payload.get("channel"))),
				rs.getString("status"), rs.getTimestamp("occurred_at").toInstant(), state, rs.getInt("attempts"),
				instant(rs.getTimestamp("last_attempt_at")), rs.getString("last_result"),
				state.equals("PENDING") ? instant(rs.getTimestamp("next_attempt_at")) : null);
	}

	private static @Nullable Instant instant(@Nullable Timestamp timestamp) {
		return (timestamp != null) ? timestamp.toInstant() : null;
	}

}
