package org.ccm.security;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

import tools.jackson.databind.json.JsonMapper;

/**
 * On the paths that take files, a multipart body is parsed (and written to disk) only for
 * a caller who is already signed in or presented a valid key; this runs before anything
 * in the chain reads a parameter.
 */
final class SignedInMultipart extends OncePerRequestFilter {

	private final JsonMapper json;

	SignedInMultipart(JsonMapper json) {
		this.json = json;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (RequestBodyLimit.isMultipart(request) && (authentication == null || !authentication.isAuthenticated()
				|| authentication instanceof AnonymousAuthenticationToken)) {
			EdgeProblems.write(request, response, json, HttpStatus.UNAUTHORIZED, "Sign in before uploading files",
					"body", "needs a signed-in caller");
			return;
		}
		chain.doFilter(request, response);
	}

}
