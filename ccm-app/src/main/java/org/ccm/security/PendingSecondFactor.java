package org.ccm.security;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * A staff member who gave the right password but not yet the code of their second factor:
 * no role, so every staff page refuses them; they are sent to the code page until they
 * give it, for at most {@link #VALID} after the password.
 */
final class PendingSecondFactor extends AbstractAuthenticationToken {

	static final Duration VALID = Duration.ofMinutes(5);

	private final String username;

	private final Instant passwordAt;

	PendingSecondFactor(String username, Instant passwordAt) {
		super(List.of(new SimpleGrantedAuthority("SECOND_FACTOR_PENDING")));
		this.username = username;
		this.passwordAt = passwordAt;
		setAuthenticated(true);
	}

	@Override
	public Object getCredentials() {
		return "";
	}

	@Override
	public Object getPrincipal() {
		return username;
	}

	@Override
	public String getName() {
		return username;
	}

	boolean expiredAt(Instant now) {
		return passwordAt.plus(VALID).isBefore(now);
	}

}
