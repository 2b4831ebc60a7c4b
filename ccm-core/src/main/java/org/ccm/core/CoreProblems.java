package org.ccm.core;

import java.util.List;
import java.util.Map;

import org.ccm.core.problems.FieldProblem;
import org.ccm.core.problems.ProblemType;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The customer database's exceptions as problem details, for its own controllers only;
 * everything else falls through to the shared fallback.
 */
@RestControllerAdvice(basePackages = "org.ccm.core")
@Order(Ordered.HIGHEST_PRECEDENCE)
class CoreProblems {

	@ExceptionHandler
	ResponseEntity<Object> invalidCustomer(InvalidCustomerException ex) {
		return ProblemType.VALIDATION.answer("The customer data has invalid fields", fields(ex.problems()));
	}

	@ExceptionHandler
	ResponseEntity<Object> invalidSegment(InvalidSegmentException ex) {
		return ProblemType.VALIDATION.answer("The segment has invalid fields", fields(ex.problems()));
	}

	@ExceptionHandler
	ResponseEntity<Object> unknownSegment(UnknownSegmentException ex) {
		return ProblemType.NOT_FOUND.answer(ex.getMessage(), List.of(new FieldProblem("segment", ex.getMessage())));
	}

	private static List<FieldProblem> fields(Map<String, String> problems) {
		return problems.entrySet()
			.stream()
			.map((problem) -> new FieldProblem(problem.getKey(), problem.getValue()))
			.toList();
	}

}
