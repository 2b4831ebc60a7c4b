package org.ccm.security;

import java.io.IOException;
import java.net.URI;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.ccm.core.problems.FieldProblem;
import org.ccm.core.problems.ProblemType;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

import tools.jackson.databind.json.JsonMapper;

/**
 * Answers API calls refused before any controller runs (no key, no scope, a body too
 * large) with the same problem details as every other API error.
 */
final class ProblemResponses implements AuthenticationEntryPoint, AccessDeniedHandler {

	private final JsonMapper json;

	ProblemResponses(JsonMapper json) {
		this.json = json;
	}

	@Override
	public void commence(HttpServletRequest request, HttpServletResponse response,
			AuthenticationException authException) throws IOException {
		response.setHeader("WWW-Authenticate", "Bearer");
		write(request, response, ProblemType.UNAUTHENTICATED,
				"A valid API key is required: Authorization: Bearer <key>", List.of());
	}

	@Override
	public void handle(HttpServletRequest request, HttpServletResponse response,
			org.springframework.security.access.AccessDeniedException accessDeniedException) throws IOException {
		write(request, response, ProblemType.FORBIDDEN, "This API key has no scope for this call", List.of());
	}

	/**
	 * The API key could not be checked because the database cannot be reached: the same
	 * answer as any call that needs the database then.
	 */
	void unavailable(HttpServletRequest request, HttpServletResponse response) throws IOException {
		response.setHeader("Retry-After", String.valueOf(ProblemType.RETRY_AFTER_SECONDS));
		write(request, response, ProblemType.UNAVAILABLE,
				"The platform cannot reach its database at the moment, so the API key could not be checked; "
						+ "nothing was done. Retry later",
				List.of());
	}

	void write(HttpServletRequest request, HttpServletResponse response, ProblemType type, String detail,
			List<FieldProblem> errors) throws IOException {
		send(request, response, json, type.problem(detail, errors));
	}

	/**
	 * Writes a problem detail as the answer, naming the request as its instance.
	 */
	static void send(HttpServletRequest request, HttpServletResponse response, JsonMapper json, ProblemDetail problem)
			throws IOException {
		problem.setInstance(URI.create(request.getRequestURI()));
		response.setStatus(problem.getStatus());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		json.writeValue(response.getOutputStream(), problem);
	}

}
