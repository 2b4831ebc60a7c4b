package org.ccm.delivery;

import java.util.List;

import org.ccm.core.problems.FieldProblem;
import org.ccm.core.problems.ProblemType;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * What a send can get wrong, as problem details, for the delivery module's own
 * controllers. Unknown templates and invalid template data answer through the shared
 * fallback, like every {@link org.ccm.core.problems.ProblemException}.
 */
@RestControllerAdvice(basePackageClasses = DeliveryProblems.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class DeliveryProblems {

	@ExceptionHandler
	ResponseEntity<Object> idempotencyConflict(IdempotencyConflictException ex) {
		return ProblemType.IDEMPOTENCY_KEY_REUSED.answer(ex.getMessage(),
				List.of(new FieldProblem(CommunicationController.IDEMPOTENCY_KEY,
						"was already used with a different request")));
	}

}
