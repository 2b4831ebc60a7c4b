package org.ccm.campaigns;

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
 * Problem-detail answers for what a campaign call can get wrong, in the platform's shape.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class CampaignProblems {

	@ExceptionHandler
	ResponseEntity<Object> invalid(InvalidCampaignException ex) {
		return ApiProblems.problem(HttpStatus.UNPROCESSABLE_CONTENT, "The campaign is invalid",
				ex.problems()
					.entrySet()
					.stream()
					.map((entry) -> new FieldProblem(entry.getKey(), entry.getValue()))
					.toList());
	}

	@ExceptionHandler
	ResponseEntity<Object> state(CampaignStateException ex) {
		return ApiProblems.problem(HttpStatus.CONFLICT, ex.getMessage(),
				List.of(new FieldProblem("state", "is " + ex.state())));
	}

	@ExceptionHandler
	ResponseEntity<Object> unknown(UnknownCampaignException ex) {
		return ApiProblems.problem(HttpStatus.NOT_FOUND, ex.getMessage(), List.of());
	}

}
