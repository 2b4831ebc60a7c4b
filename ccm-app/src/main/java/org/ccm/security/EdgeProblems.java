package org.ccm.security;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

import tools.jackson.databind.json.JsonMapper;

/**
 * Problem details written by the filters at the edge, before any controller runs, in the
 * shape the controllers use: field problems under {@code errors} as {@code {field,
 * message}}.
 */
final class EdgeProblems {

	static final URI VALIDATION = URI.create("urn:ccm:problem:validation");

	private EdgeProblems() {
	}

	static ProblemDetail problem(HttpStatus status, String detail, List<Map<String, String>> errors) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		if (!errors.isEmpty()) {
			problem.setType(VALIDATION);
			problem.setProperty("errors", errors);
		}
		return problem;
	}

	static void write(HttpServletResponse response, JsonMapper json, HttpStatus status, String detail,
			List<Map<String, String>> errors) throws IOException {
		response.setStatus(status.value());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		json.writeValue(response.getOutputStream(), problem(status, detail, errors));
	}

	static void write(HttpServletResponse response, JsonMapper json, HttpStatus status, String detail, String field,
			String message) throws IOException {
		write(response, json, status, detail, List.of(Map.of("field", field, "message", message)));
	}

}
