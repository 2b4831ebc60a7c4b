package org.ccm.security;

import java.io.IOException;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.MDC;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gives every request an id, taken from a well-formed {@code X-Request-Id} header or made
 * up, echoed in the answer, put in the logs ({@code requestId}) and in the audit log, so
 * one id ties an audit entry to its log lines.
 */
final class RequestIds extends OncePerRequestFilter {

	static final String HEADER = "X-Request-Id";

	private static final String ATTRIBUTE = RequestIds.class.getName();

	private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

	static String of(HttpServletRequest request) {
		Object id = request.getAttribute(ATTRIBUTE);
		return (id != null) ? id.toString() : assign(request);
	}

	private static String assign(HttpServletRequest request) {
		String presented = request.getHeader(HEADER);
		String id = (presented != null && WELL_FORMED.matcher(presented).matches()) ? presented
				: UUID.randomUUID().toString();
		request.setAttribute(ATTRIBUTE, id);
		return id;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String id = of(request);
		response.setHeader(HEADER, id);
		MDC.put("requestId", id);
		try {
			chain.doFilter(request, response);
		}
		finally {
			MDC.remove("requestId");
		}
	}

}
