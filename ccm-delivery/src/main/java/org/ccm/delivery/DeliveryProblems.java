package org.ccm.delivery;

import java.util.List;

import org.ccm.core.web.ApiProblems;
import org.ccm.core.web.FieldProblem;
import org.ccm.templates.InvalidTemplateDataException;
import org.ccm.templates.UnknownTemplateException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Problem-detail answers for what a send can get wrong, in the same shape as the
 * platform's other client errors.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class DeliveryProblems {

	@ExceptionHandler
	ResponseEntity<Object> unknownTemplate(UnknownTemplateException ex) {
		return ApiProblems.problem(HttpStatus.UNPROCESSABLE_CONTENT, ex.getMessage(),
				List.of(new FieldProblem("template", "no published template '" + ex.templateKey() + "'")));
	}

	@ExceptionHandler
	ResponseEntity<Object> invalidData(InvalidTemplateDataException ex) {
		List<FieldProblem> errors = ex.violations()
			.stream()
			.map((violation) -> new FieldProblem(violation.path(), violation.message()))
			.toList();
		return ApiProblems.problem(HttpStatus.BAD_REQUEST, ex.getMessage(), errors);
	}

	@ExceptionHandler
	ResponseEntity<Object> idempotencyConflict(IdempotencyConflictException ex) {
		return ApiProblems.problem(HttpStatus.UNPROCESSABLE_CONTENT, ex.getMessage(),
				List.of(new FieldProblem(CommunicationController.IDEMPOTENCY_KEY,
						"was already used with a different request")));
	}

}
