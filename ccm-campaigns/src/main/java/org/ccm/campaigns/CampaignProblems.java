package org.ccm.campaigns;

import java.util.List;

import org.ccm.core.problems.ProblemType;
import org.ccm.core.problems.FieldProblem;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Problem-detail answers for what a campaign call can get wrong, in the platform's shape.
 */
@RestControllerAdvice(basePackages = "org.ccm.campaigns")
@Order(Ordered.HIGHEST_PRECEDENCE)
class CampaignProblems {

	@ExceptionHandler
	ResponseEntity<Object> invalid(InvalidCampaignException ex) {
		return ProblemType.UNPROCESSABLE.answer("The campaign is invalid",
				ex.problems()
					.entrySet()
					.stream()
					.map((entry) -> new FieldProblem(entry.getKey(), entry.getValue()))
					.toList());
	}

	@ExceptionHandler
	ResponseEntity<Object> state(CampaignStateException ex) {
		return ProblemType.CONFLICT.answer(ex.getMessage(), List.of(new FieldProblem("state", "is " + ex.state())));
	}

	@ExceptionHandler
	ResponseEntity<Object> unknown(UnknownCampaignException ex) {
		return ProblemType.NOT_FOUND.answer(ex.getMessage());
	}

}
