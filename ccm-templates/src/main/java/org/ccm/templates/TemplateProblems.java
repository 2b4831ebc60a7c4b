package org.ccm.templates;

import java.util.List;

import org.ccm.core.problems.FieldProblem;
import org.ccm.core.problems.ProblemType;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The template module's exceptions as problem details, for its own controllers. Unknown
 * templates and invalid template data answer through the shared fallback, like every
 * {@link org.ccm.core.problems.ProblemException}.
 */
@RestControllerAdvice(basePackageClasses = TemplateProblems.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class TemplateProblems {

	@ExceptionHandler
	ResponseEntity<Object> notFound(TemplateNotFoundException ex) {
		return ProblemType.NOT_FOUND.answer(ex.getMessage(), List.of(new FieldProblem("template", ex.getMessage())));
	}

	@ExceptionHandler
	ResponseEntity<Object> governance(GovernanceException ex) {
		ProblemType type = (ex.reason() == GovernanceException.Reason.FORBIDDEN) ? ProblemType.FORBIDDEN
				: ProblemType.CONFLICT;
		return type.answer(ex.getMessage());
	}

	@ExceptionHandler
	ResponseEntity<Object> invalidContent(InvalidTemplateContentException ex) {
		return ProblemType.UNPROCESSABLE.answer("The template content cannot be accepted",
				ex.problems().stream().map((problem) -> new FieldProblem(problem.field(), problem.message())).toList());
	}

}
