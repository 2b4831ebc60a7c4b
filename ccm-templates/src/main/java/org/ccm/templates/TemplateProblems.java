package org.ccm.templates;

import java.util.List;

import org.ccm.core.web.ApiProblems;
import org.ccm.core.web.FieldProblem;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Problem-detail answers of the template API, in the platform's shape.
 */
@RestControllerAdvice(assignableTypes = { TemplateController.class, OfferController.class })
@Order(Ordered.HIGHEST_PRECEDENCE)
class TemplateProblems {

	@ExceptionHandler
	ResponseEntity<Object> notFound(TemplateNotFoundException ex) {
		return ApiProblems.problem(HttpStatus.NOT_FOUND, ex.getMessage(),
				List.of(new FieldProblem("template", ex.getMessage())));
	}

	@ExceptionHandler
	ResponseEntity<Object> governance(GovernanceException ex) {
		HttpStatus status = (ex.reason() == GovernanceException.Reason.FORBIDDEN) ? HttpStatus.FORBIDDEN
				: HttpStatus.CONFLICT;
		return ApiProblems.problem(status, ex.getMessage(), List.of());
	}

	@ExceptionHandler
	ResponseEntity<Object> invalidContent(InvalidTemplateContentException ex) {
		return ApiProblems.problem(HttpStatus.UNPROCESSABLE_CONTENT, "The template content cannot be accepted",
				ex.problems().stream().map((problem) -> new FieldProblem(problem.field(), problem.message())).toList());
	}

	@ExceptionHandler
	ResponseEntity<Object> invalidData(InvalidTemplateDataException ex) {
		return ApiProblems.problem(HttpStatus.BAD_REQUEST, ex.getMessage(),
				ex.violations()
					.stream()
					.map((violation) -> new FieldProblem(violation.path(), violation.message()))
					.toList());
	}

}
