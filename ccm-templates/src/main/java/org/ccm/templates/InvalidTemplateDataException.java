package org.ccm.templates;

import java.util.List;

/**
 * Thrown when a send's data does not match the template's data schema.
 */
public class InvalidTemplateDataException extends RuntimeException {

	private final List<DataViolation> violations;

	public InvalidTemplateDataException(String templateKey, List<DataViolation> violations) {
		super("data does not match the schema of template '" + templateKey + "'");
		this.violations = List.copyOf(violations);
	}

	public List<DataViolation> violations() {
		return violations;
	}

}
