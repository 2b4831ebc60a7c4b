package org.ccm.security;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;

/**
 * Staff sign-in with throttling: after {@code ccm.security.login.max-failures} wrong
 * passwords in a row an account is locked for {@code lock-duration} (even the right
 * password is refused meanwhile), unless an administrator unlocks it. Every success,
 * failure and lockout goes to the audit log.
 */
final class StaffSignIns implements AuthenticationProvider {

	private final AuthenticationProvider passwords;

	private final JdbcClient jdbc;

	private final AuditLog audit;

	private final SecurityProperties.Login limits;

	private final Clock clock;

	StaffSignIns(AuthenticationProvider passwords, JdbcClient jdbc, AuditLog audit, SecurityProperties.Login limits,
			Clock clock) {
		this.passwords = passwords;
		this.jdbc = jdbc;
		this.audit = audit;
		this.limits = limits;
		this.clock = clock;
	}

	@Override
	public Authentication authenticate(Authentication authentication) throws AuthenticationException {
		String username = authentication.getName();
		Instant now = clock.instant();
		Instant lockedUntil = lockedUntil(username);
		if (lockedUntil != null && lockedUntil.isAfter(now)) {
			audit.record(username, AuditLog.ActorType.STAFF, "login.refused", "staff:" + username,
					AuditLog.Outcome.DENIED, null, null, "account locked until " + lockedUntil);
			throw new LockedException("The account is locked");
		}
		try {
			Authentication authenticated = passwords.authenticate(authentication);
			jdbc.sql("""
					INSERT INTO staff_login_state (username, failed_attempts, locked_until, last_login_at)
					VALUES (:username, 0, NULL, :now)
					ON CONFLICT (username) DO UPDATE SET failed_attempts = 0, locked_until = NULL, last_login_at = :now
					""").param("username", username).param("now", at(now)).update();
			audit.record(username, AuditLog.ActorType.STAFF, "login.succeeded", "staff:" + username,
					AuditLog.Outcome.SUCCESS, null, null, null);
			return authenticated;
		}
		catch (AuthenticationException ex) {
			String detail = ex.getClass().getSimpleName();
			if (ex instanceof BadCredentialsException && exists(username)) {
				int failures = jdbc.sql("""
						INSERT INTO staff_login_state (username, failed_attempts) VALUES (:username, 1)
						ON CONFLICT (username) DO UPDATE SET failed_attempts = staff_login_state.failed_attempts + 1
						RETURNING failed_attempts
						""").param("username", username).query(Integer.class).single();
				detail = failures + " failed in a row";
				if (failures >= limits.maxFailures()) {
					Instant until = now.plus(limits.lockDuration());
					jdbc.sql("UPDATE staff_login_state SET locked_until = :until, failed_attempts = 0 "
							+ "WHERE username = :username")
						.param("until", at(until))
						.param("username", username)
						.update();
					audit.record(username, AuditLog.ActorType.STAFF, "login.locked", "staff:" + username,
							AuditLog.Outcome.DENIED, null, null, "locked until " + until);
				}
			}
			audit.record(username, AuditLog.ActorType.STAFF, "login.failed", "staff:" + username,
					AuditLog.Outcome.FAILURE, null, null, detail);
			throw ex;
		}
	}

	@Override
	public boolean supports(Class<?> authentication) {
		return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
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
