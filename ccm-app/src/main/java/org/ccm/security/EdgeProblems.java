package org.ccm.security;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.ccm.core.problems.FieldProblem;
import org.ccm.core.problems.ProblemType;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

import tools.jackson.databind.json.JsonMapper;

/**
 * Problem details written by the filters at the edge, before any controller runs, with
 * the same types and shape as every other API error ({@link ProblemType}).
 */
final class EdgeProblems {

	private EdgeProblems() {
	}

	static ProblemDetail problem(HttpStatus status, String detail, List<Map<String, String>> errors) {
		ProblemType type = (status == HttpStatus.BAD_REQUEST) ? ProblemType.VALIDATION
				: ProblemType.forStatus(status.value()).orElse(ProblemType.INTERNAL);
		return type.problem(detail,
				errors.stream().map((error) -> new FieldProblem(error.get("field"), error.get("message"))).toList());
	}

	static void write(HttpServletRequest request, HttpServletResponse response, JsonMapper json, HttpStatus status,
			String detail, List<Map<String, String>> errors) throws IOException {
		ProblemResponses.send(request, response, json, problem(status, detail, errors));
	}

	static void write(HttpServletRequest request, HttpServletResponse response, JsonMapper json, HttpStatus status,
			String detail, String field, String message) throws IOException {
		write(request, response, json, status, detail, List.of(Map.of("field", field, "message", message)));
	}

}
