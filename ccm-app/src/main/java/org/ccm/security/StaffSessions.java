package org.ccm.security;

import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.authentication.SavedRequestAwareAuthenticationSuccessHandler;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Ends a staff session at its next request when the account was disabled, deleted, given
 * other roles or a new password after the session began, so such a change holds at once
 * and not only at the next sign-in. A session that gave the password but not yet the
 * second factor's code is sent to the code page, wherever it asks to go, and ended when
 * it took too long.
 */
final class StaffSessions extends OncePerRequestFilter {

	private static final String SIGNED_IN_AT = StaffSessions.class.getName() + ".signedInAt";

	private static final Set<String> PENDING_MAY_REACH = Set.of(SecondFactorPages.CODE, "/admin/logout", "/admin/login",
			"/error", "/favicon.ico");

	private final JdbcClient jdbc;

	StaffSessions(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Notes when a session signed in through the form, then goes where a successful
	 * sign-in goes.
	 */
	static AuthenticationSuccessHandler signedIn(String defaultTarget) {
		SavedRequestAwareAuthenticationSuccessHandler target = new SavedRequestAwareAuthenticationSuccessHandler();
		target.setDefaultTargetUrl(defaultTarget);
		return (request, response, authentication) -> {
			request.getSession().setAttribute(SIGNED_IN_AT, System.currentTimeMillis());
			if (authentication instanceof PendingSecondFactor) {
				response.sendRedirect(request.getContextPath() + SecondFactorPages.CODE);
				return;
			}
			target.onAuthenticationSuccess(request, response, authentication);
		};
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		HttpSession session = request.getSession(false);
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication instanceof PendingSecondFactor pending && session != null) {
			if (pending.expiredAt(Instant.now())) {
				session.invalidate();
				SecurityContextHolder.clearContext();
				response.sendRedirect(request.getContextPath() + "/admin/login?expired");
				return;
			}
			// the path as the client asked for it, whatever the servlet mapping
			String path = request.getRequestURI().substring(request.getContextPath().length());
			if (!PENDING_MAY_REACH.contains(path) && !path.startsWith("/admin/css/") && !path.startsWith("/webjars/")) {
				response.sendRedirect(request.getContextPath() + SecondFactorPages.CODE);
				return;
			}
		}
		Object signedInAt = (session != null) ? session.getAttribute(SIGNED_IN_AT) : null;
		if (signedInAt instanceof Long at && authentication instanceof UsernamePasswordAuthenticationToken
				&& authentication.isAuthenticated() && !valid(authentication.getName(), at)) {
			session.invalidate();
			SecurityContextHolder.clearContext();
			response.sendRedirect(request.getContextPath() + "/admin/login");
			return;
		}
		chain.doFilter(request, response);
	}

	private boolean valid(String username, long signedInAt) {
		Optional<Boolean> valid = jdbc.sql("""
				SELECT u.enabled, s.sessions_valid_after FROM users u
				LEFT JOIN staff_login_state s ON s.username = u.username WHERE u.username = :username
				""").param("username", username).query((rs, row) -> {
			OffsetDateTime after = rs.getObject(2, OffsetDateTime.class);
			return rs.getBoolean(1) && (after == null || !after.toInstant().isAfter(Instant.ofEpochMilli(signedInAt)));
		}).optional();
		return valid.orElse(false);
	}

}
