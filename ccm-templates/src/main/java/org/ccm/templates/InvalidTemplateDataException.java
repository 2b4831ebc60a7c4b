package org.ccm.templates;

import java.util.List;

import org.ccm.core.problems.FieldProblem;
import org.ccm.core.problems.ProblemException;
import org.ccm.core.problems.ProblemType;

/**
 * Thrown when a send's data does not match the template's data schema. It reaches the
 * template API (previews) and the send API alike, and answers {@code 400} with a field
 * problem per violation in both.
 */
public class InvalidTemplateDataException extends ProblemException {

	private final List<DataViolation> violations;

	public InvalidTemplateDataException(String templateKey, List<DataViolation> violations) {
		super(ProblemType.VALIDATION, "data does not match the schema of template '" + templateKey + "'",
				violations.stream()
					.map((violation) -> new FieldProblem(violation.path(), violation.message()))
					.toList());
		this.violations = List.copyOf(violations);
	}

	public List<DataViolation> violations() {
		return violations;
	}

}
