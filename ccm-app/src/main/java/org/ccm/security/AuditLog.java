package org.ccm.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import jakarta.servlet.http.HttpServletRequest;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The one audit log: who did what, when, with digests of the state before and after and
 * the request id that ties it to the logs. Append-only (the table refuses updates), kept
 * for {@code ccm.security.audit.retention}.
 */
@Service
public class AuditLog {

	private static final Logger log = LoggerFactory.getLogger(AuditLog.class);

	private final JdbcClient jdbc;

	private final SecurityProperties properties;

	AuditLog(JdbcClient jdbc, SecurityProperties properties) {
		this.jdbc = jdbc;
		this.properties = properties;
	}

	/**
	 * Records an action of the current caller (staff member, API key or anonymous).
	 */
	public void record(String action, @Nullable String target, Outcome outcome, @Nullable String before,
			@Nullable String after, @Nullable String detail) {
		Actor actor = Actor.current();
		record(actor.name(), actor.type(), action, target, outcome, before, after, detail);
	}

	/**
	 * Records an action of a named actor, for events where the caller is not (yet) the
	 * authenticated principal, such as a failed sign-in.
	 */
	public void record(String actor, ActorType actorType, String action, @Nullable String target, Outcome outcome,
			@Nullable String before, @Nullable String after, @Nullable String detail) {
		HttpServletRequest request = currentRequest();
		jdbc.sql("""
				INSERT INTO audit_event (actor, actor_type, action, target, outcome, before_digest, after_digest,
				                         request_id, client_ip, detail)
				VALUES (:actor, :type, :action, :target, :outcome, :before, :after, :requestId, :ip, :detail)
				""")
			.param("actor", clip(actor, 200))
			.param("type", actorType.name())
			.param("action", action)
			.param("target", clip(target, 500))
			.param("outcome", outcome.name())
			.param("before", before)
			.param("after", after)
			.param("requestId", (request != null) ? RequestIds.of(request) : null)
			.param("ip", (request != null) ? request.getRemoteAddr() : null)
			.param("detail", clip(detail, 2000))
			.update();
	}

	/**
	 * Entries matching every given criterion, newest first.
	 */
	public List<AuditEntry> search(AuditQuery query) {
		StringBuilder sql = new StringBuilder("""
				SELECT id, occurred_at, actor, actor_type, action, target, outcome, before_digest, after_digest,
				       request_id, client_ip, detail
				FROM audit_event WHERE true""");
		List<Object> params = new ArrayList<>();
		if (query.actor() != null) {
			sql.append(" AND actor = ?");
			params.add(query.actor());
		}
		if (query.action() != null) {
			sql.append(" AND action LIKE ? ESCAPE '\\'");
			params.add(likePrefix(query.action()));
		}
		if (query.target() != null) {
			sql.append(" AND target LIKE ? ESCAPE '\\'");
			params.add("%" + likeEscape(query.target()) + "%");
		}
		if (query.requestId() != null) {
			sql.append(" AND request_id = ?");
			params.add(query.requestId());
		}
		if (query.from() != null) {
			sql.append(" AND occurred_at >= ?");
			params.add(OffsetDateTime.ofInstant(query.from(), ZoneOffset.UTC));
		}
		if (query.to() != null) {
			sql.append(" AND occurred_at < ?");
			params.add(OffsetDateTime.ofInstant(query.to(), ZoneOffset.UTC));
		}
		sql.append(" ORDER BY occurred_at DESC, id DESC LIMIT ?");
		params.add(Math.max(1, Math.min(query.limit(), 1000)));
		return jdbc.sql(sql.toString())
			.params(params)
			.query((rs, row) -> new AuditEntry(rs.getLong("id"),
					rs.getObject("occurred_at", OffsetDateTime.class).toInstant(), rs.getString("actor"),
					ActorType.valueOf(rs.getString("actor_type")), rs.getString("action"), rs.getString("target"),
					Outcome.valueOf(rs.getString("outcome")), rs.getString("before_digest"),
					rs.getString("after_digest"), rs.getString("request_id"), rs.getString("client_ip"),
					rs.getString("detail")))
			.list();
	}

	/**
	 * Deletes entries older than the retention period; the only deletion the table
	 * allows.
	 */
	@Transactional
	public int purgeExpired(Instant now) {
		Duration retention = properties.audit().retention();
		jdbc.sql("SET LOCAL ccm.audit_retention = 'on'").update();
		int deleted = jdbc.sql("DELETE FROM audit_event WHERE occurred_at < :before")
			.param("before", OffsetDateTime.ofInstant(now.minus(retention), ZoneOffset.UTC))
			.update();
		if (deleted > 0) {
			log.info("Deleted {} audit entries older than {}", deleted, retention);
		}
		return deleted;
	}

	@Scheduled(cron = "${ccm.security.audit.purge-cron:0 17 3 * * *}", zone = "UTC")
	@SchedulerLock(name = "ccm-security-audit-retention")
	void purgeOnSchedule() {
		purgeExpired(Instant.now());
	}

	/**
	 * A SHA-256 digest of a state, hex encoded; what the log keeps instead of the state
	 * itself.
	 */
	public static String digest(byte[] state) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(state));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("every JDK has SHA-256", ex);
		}
	}

	public static String digest(String state) {
		return digest(state.getBytes(StandardCharsets.UTF_8));
	}

	private static @Nullable HttpServletRequest currentRequest() {
		return (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes)
				? attributes.getRequest() : null;
	}

	private static @Nullable String clip(@Nullable String value, int max) {
		return (value != null && value.length() > max) ? value.substring(0, max) : value;
	}

	private static String likeEscape(String value) {
		return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
	}

	private static String likePrefix(String value) {
		return likeEscape(value.toLowerCase(Locale.ROOT)) + "%";
	}

	public enum ActorType {

		STAFF, API, ANONYMOUS, SYSTEM

	}

	public enum Outcome {

		SUCCESS, FAILURE, DENIED

	}

	/**
	 * An entry as the audit page shows it.
	 */
	public record AuditEntry(long id, Instant occurredAt, String actor, ActorType actorType, String action,
			@Nullable String target, Outcome outcome, @Nullable String beforeDigest, @Nullable String afterDigest,
			@Nullable String requestId, @Nullable String clientIp, @Nullable String detail) {

	}

	/**
	 * Search criteria; {@code null} matches everything. {@code action} matches a prefix
	 * ({@code api-key.} finds every key event).
	 */
	public record AuditQuery(@Nullable String actor, @Nullable String action, @Nullable String target,
			@Nullable String requestId, @Nullable Instant from, @Nullable Instant to, int limit) {

	}

	record Actor(String name, ActorType type) {

		static Actor current() {
			Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
			if (authentication == null || !authentication.isAuthenticated()
					|| authentication instanceof AnonymousAuthenticationToken) {
				return new Actor("anonymous", ActorType.ANONYMOUS);
			}
			return new Actor(authentication.getName(),
					(authentication instanceof ApiKeyAuthentication) ? ActorType.API : ActorType.STAFF);
		}

	}

}
