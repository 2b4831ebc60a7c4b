package org.ccm.security;

import java.time.Instant;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;

/**
 * Staff sign-in with throttling ({@link LoginThrottle}): a locked account is refused even
 * the right password. For an account with a second factor the right password leads only
 * to {@link PendingSecondFactor}, which opens nothing but the page that asks for the
 * code.
 */
final class StaffSignIns implements AuthenticationProvider {

	private final AuthenticationProvider passwords;

	private final LoginThrottle throttle;

	private final SecondFactors secondFactors;

	StaffSignIns(AuthenticationProvider passwords, LoginThrottle throttle, SecondFactors secondFactors) {
		this.passwords = passwords;
		this.throttle = throttle;
		this.secondFactors = secondFactors;
	}

	@Override
	public Authentication authenticate(Authentication authentication) throws AuthenticationException {
		String username = authentication.getName();
		if (throttle.refuses(username)) {
			throw new LockedException("The account is locked");
		}
		try {
			Authentication authenticated = passwords.authenticate(authentication);
			if (secondFactors.enrolled(username)) {
				// the count of failures stays until the code is right too
				return new PendingSecondFactor(username, Instant.now());
			}
			throttle.succeeded(username, null);
			return authenticated;
		}
		catch (AuthenticationException ex) {
			throttle.failed(username,
					(ex instanceof BadCredentialsException) ? "wrong password" : ex.getClass().getSimpleName());
			throw ex;
		}
	}

	@Override
	public boolean supports(Class<?> authentication) {
		return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
	}

}
