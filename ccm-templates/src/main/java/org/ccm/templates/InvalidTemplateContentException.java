package org.ccm.templates;

import java.util.List;

/**
 * Thrown when authored content cannot be accepted: a refused template construct, a locked
 * block changed without the brand role, a missing legal clause.
 */
class InvalidTemplateContentException extends RuntimeException {

	private final List<DataViolation> problems;

	public InvalidTemplateContentException(String field, String message) {
		this(List.of(new DataViolation(field, message)));
	}

	public InvalidTemplateContentException(List<DataViolation> problems) {
		super(problems.isEmpty() ? "invalid template content"
				: problems.get(0).field() + " " + problems.get(0).message());
		this.problems = List.copyOf(problems);
	}

	public List<DataViolation> problems() {
		return this.problems;
	}

}
