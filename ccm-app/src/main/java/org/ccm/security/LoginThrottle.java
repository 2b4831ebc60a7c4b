package org.ccm.security;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Counts failed sign-ins per staff account, wrong passwords and wrong second-factor codes
 * alike: after {@code ccm.security.login.max-failures} in a row the account is locked for
 * {@code lock-duration}. Only a complete sign-in (with the second factor where the
 * account has one) clears the count, so knowing the password gives no fresh tries at the
 * code. Every success, failure, lockout and refusal goes to the audit log.
 */
@Component
class LoginThrottle {

	private final JdbcClient jdbc;

	private final AuditLog audit;

	private final SecurityProperties.Login limits;

	private final Clock clock = Clock.systemUTC();

	LoginThrottle(JdbcClient jdbc, AuditLog audit, SecurityProperties properties) {
		this.jdbc = jdbc;
		this.audit = audit;
		this.limits = properties.login();
	}

	/**
	 * Whether the account is locked now; a refused attempt is audited.
	 */
	boolean refuses(String username) {
		Instant lockedUntil = lockedUntil(username);
		if (lockedUntil != null && lockedUntil.isAfter(clock.instant())) {
			audit.record(username, AuditLog.ActorType.STAFF, "login.refused", "staff:" + username,
					AuditLog.Outcome.DENIED, null, null, "account locked until " + lockedUntil);
			return true;
		}
		return false;
	}

	void succeeded(String username, @Nullable String detail) {
		jdbc.sql("""
				INSERT INTO staff_login_state (username, failed_attempts, locked_until, last_login_at)
				VALUES (:username, 0, NULL, :now)
				ON CONFLICT (username) DO UPDATE SET failed_attempts = 0, locked_until = NULL, last_login_at = :now
				""").param("username", username).param("now", at(clock.instant())).update();
		audit.record(username, AuditLog.ActorType.STAFF, "login.succeeded", "staff:" + username,
				AuditLog.Outcome.SUCCESS, null, null, detail);
	}

	/**
	 * Counts a failed attempt at an existing account and locks it when the limit is
	 * reached.
	 * @param why what failed, for the audit log (never the code or password given)
	 * @return whether the account is locked now
	 */
	boolean failed(String username, String why) {
		String detail = why;
		boolean locked = false;
		if (exists(username)) {
			int failures = jdbc.sql("""
					INSERT INTO staff_login_state (username, failed_attempts) VALUES (:username, 1)
					ON CONFLICT (username) DO UPDATE SET failed_attempts = staff_login_state.failed_attempts + 1
					RETURNING failed_attempts
					""").param("username", username).query(Integer.class).single();
			detail = why + ", " + failures + " failed in a row";
			if (failures >= limits.maxFailures()) {
				Instant until = clock.instant().plus(limits.lockDuration());
				jdbc.sql("UPDATE staff_login_state SET locked_until = :until, failed_attempts = 0 "
						+ "WHERE username = :username")
					.param("until", at(until))
					.param("username", username)
					.update();
				audit.record(username, AuditLog.ActorType.STAFF, "login.locked", "staff:" + username,
						AuditLog.Outcome.DENIED, null, null, "locked until " + until);
				locked = true;
			}
		}
		audit.record(username, AuditLog.ActorType.STAFF, "login.failed", "staff:" + username, AuditLog.Outcome.FAILURE,
				null, null, detail);
		return locked;
	}

	private @Nullable Instant lockedUntil(String username) {
		return jdbc.sql("SELECT locked_until FROM staff_login_state WHERE username = :username")
			.param("username", username)
			.query((rs, row) -> {
				OffsetDateTime until = rs.getObject(1, OffsetDateTime.class);
				return (until != null) ? until.toInstant() : Instant.EPOCH;
			})
			.optional()
			.orElse(null);
	}

	private boolean exists(String username) {
		return jdbc.sql("SELECT count(*) FROM users WHERE username = :username")
			.param("username", username)
			.query(Long.class)
			.single() > 0;
	}

	private static OffsetDateTime at(Instant instant) {
		return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
	}

}
