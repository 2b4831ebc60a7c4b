package org.ccm.security;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.JdbcUserDetailsManager;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Staff accounts as administrators manage them: create with roles, change roles, disable
 * and enable, reset a password (a new random one, shown once) and unlock an account that
 * too many wrong passwords locked. Administrators cannot take away their own access.
 * Every change is audited.
 */
@Service("staffAdministration")
class StaffAccounts {

	static final List<String> ROLES = List.of(SecurityConfiguration.ADMIN, SecurityConfiguration.MARKETER,
			SecurityConfiguration.APPROVER, SecurityConfiguration.OPS, SecurityConfiguration.BRAND);

	private static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._@-]{1,63}");

	private final JdbcUserDetailsManager users;

	private final PasswordEncoder passwords;

	private final JdbcClient jdbc;

	private final AuditLog audit;

	private final SecondFactors secondFactors;

	private final SecureRandom random = new SecureRandom();

	StaffAccounts(JdbcUserDetailsManager users, PasswordEncoder passwords, JdbcClient jdbc, AuditLog audit,
			SecondFactors secondFactors) {
		this.users = users;
		this.passwords = passwords;
		this.jdbc = jdbc;
		this.audit = audit;
		this.secondFactors = secondFactors;
	}

	List<StaffAccount> list() {
		Map<String, StaffAccount> accounts = new LinkedHashMap<>();
		jdbc.sql(
				"""
						SELECT u.username, u.enabled, s.failed_attempts, s.locked_until, s.last_login_at,
						       coalesce(array_agg(a.authority ORDER BY a.authority) FILTER (WHERE a.authority IS NOT NULL), '{}'),
						       f.username IS NOT NULL
						FROM users u
						LEFT JOIN staff_login_state s ON s.username = u.username
						LEFT JOIN authorities a ON a.username = u.username
						LEFT JOIN staff_second_factor f ON f.username = u.username
						GROUP BY u.username, u.enabled, s.failed_attempts, s.locked_until, s.last_login_at, f.username
						ORDER BY u.username
						""")
			.query((rs, row) -> {
				Set<String> roles = new TreeSet<>();
				for (String authority : (String[]) rs.getArray(6).getArray()) {
					roles.add(authority.startsWith("ROLE_") ? authority.substring(5) : authority);
				}
				return new StaffAccount(rs.getString(1), rs.getBoolean(2), roles, rs.getInt(3),
						instant(rs.getObject(4, OffsetDateTime.class)), instant(rs.getObject(5, OffsetDateTime.class)),
						rs.getBoolean(7));
			})
			.list()
			.forEach((account) -> accounts.put(account.username(), account));
		return List.copyOf(accounts.values());
	}

	/**
	 * Creates an account with a random password and returns the password, shown once.
	 */
	@Transactional
	String create(String username, Set<String> roles, String by) {
		Map<String, String> problems = new LinkedHashMap<>();
		if (!USERNAME.matcher(username).matches()) {
			problems.put("username", "Enter 2 to 64 lower-case letters, digits, dots, dashes or @");
		}
		else if (users.userExists(username)) {
			problems.put("username", "There is already an account with this user name");
		}
		checkRoles(roles, problems);
		if (!problems.isEmpty()) {
			throw new InvalidStaffException(problems);
		}
		String password = newPassword();
		users.createUser(User.withUsername(username)
			.password(passwords.encode(password))
			.roles(roles.toArray(String[]::new))
			.build());
		audit.record("staff.created", "staff:" + username, AuditLog.Outcome.SUCCESS, null,
				AuditLog.digest(String.join(",", new TreeSet<>(roles))), "roles " + new TreeSet<>(roles));
		return password;
	}

	@Transactional
	void changeRoles(String username, Set<String> roles, String by) {
		UserDetails user = existing(username);
		Map<String, String> problems = new LinkedHashMap<>();
		checkRoles(roles, problems);
		if (username.equals(by) && !roles.contains(SecurityConfiguration.ADMIN)) {
			problems.put("roles", "You cannot take the ADMIN role away from yourself");
		}
		if (!problems.isEmpty()) {
			throw new InvalidStaffException(problems);
		}
		Set<String> before = roles(user);
		users.updateUser(User.withUserDetails(user).roles(roles.toArray(String[]::new)).build());
		endSessions(username);
		audit.record("staff.roles-changed", "staff:" + username, AuditLog.Outcome.SUCCESS,
				AuditLog.digest(String.join(",", before)), AuditLog.digest(String.join(",", new TreeSet<>(roles))),
				before + " -> " + new TreeSet<>(roles));
	}

	@Transactional
	void enable(String username, boolean enabled, String by) {
		existing(username);
		if (!enabled && username.equals(by)) {
			throw new InvalidStaffException(Map.of("enabled", "You cannot disable your own account"));
		}
		jdbc.sql("UPDATE users SET enabled = :enabled WHERE username = :username")
			.param("enabled", enabled)
			.param("username", username)
			.update();
		endSessions(username);
		audit.record(enabled ? "staff.enabled" : "staff.disabled", "staff:" + username, AuditLog.Outcome.SUCCESS, null,
				null, null);
	}

	/**
	 * Gives an account a new random password and returns it, shown once; also unlocks it.
	 */
	@Transactional
	String resetPassword(String username, String by) {
		existing(username);
		String password = newPassword();
		jdbc.sql("UPDATE users SET password = :password WHERE username = :username")
			.param("password", passwords.encode(password))
			.param("username", username)
			.update();
		clearLock(username);
		endSessions(username);
		audit.record("staff.password-reset", "staff:" + username, AuditLog.Outcome.SUCCESS, null, null, null);
		return password;
	}

	/**
	 * Removes the account's second factor (a lost phone): it signs in with the password
	 * alone until its owner sets one up again.
	 */
	@Transactional
	void resetSecondFactor(String username) {
		existing(username);
		secondFactors.reset(username);
	}

	@Transactional
	void unlock(String username, String by) {
		existing(username);
		clearLock(username);
		audit.record("staff.unlocked", "staff:" + username, AuditLog.Outcome.SUCCESS, null, null, null);
	}

	private void clearLock(String username) {
		jdbc.sql("UPDATE staff_login_state SET locked_until = NULL, failed_attempts = 0 WHERE username = :username")
			.param("username", username)
			.update();
	}

	/** Sessions of the account that began before now end at their next request. */
	private void endSessions(String username) {
		jdbc.sql("""
				INSERT INTO staff_login_state (username, sessions_valid_after) VALUES (:username, now())
				ON CONFLICT (username) DO UPDATE SET sessions_valid_after = now()
				""").param("username", username).update();
	}

	private UserDetails existing(String username) {
		if (!users.userExists(username)) {
			throw new UnknownStaffException(username);
		}
		return users.loadUserByUsername(username);
	}

	private static void checkRoles(Set<String> roles, Map<String, String> problems) {
		if (roles.isEmpty() || !ROLES.containsAll(roles)) {
			problems.put("roles", "Choose at least one role");
		}
	}

	private static Set<String> roles(UserDetails user) {
		Set<String> roles = new TreeSet<>();
		user.getAuthorities().forEach((a) -> roles.add(a.getAuthority().replaceFirst("^ROLE_", "")));
		return roles;
	}

	private String newPassword() {
		byte[] bytes = new byte[15];
		random.nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	private static @Nullable Instant instant(@Nullable OffsetDateTime value) {
		return (value != null) ? value.toInstant() : null;
	}

	/**
	 * An account as the staff page shows it.
	 */
	public record StaffAccount(String username, boolean enabled, Set<String> roles, int failedAttempts,
			@Nullable Instant lockedUntil, @Nullable Instant lastLoginAt, boolean secondFactor) {

		public boolean lockedAt(Instant now) {
			return lockedUntil != null && lockedUntil.isAfter(now);
		}

		public boolean has(String role) {
			return roles.contains(role);
		}

	}

	static final class InvalidStaffException extends RuntimeException {

		private final Map<String, String> problems;

		InvalidStaffException(Map<String, String> problems) {
			super("invalid staff account change: " + problems.keySet());
			this.problems = Map.copyOf(problems);
		}

		Map<String, String> problems() {
			return problems;
		}

	}

	static final class UnknownStaffException extends RuntimeException {

		UnknownStaffException(String username) {
			super("There is no staff account " + username + ".");
		}

	}

}
