package org.ccm.core.problems;

import java.util.List;

/**
 * An exception of a module's public API that names its own answer. Used for the few
 * exceptions that surface through more than one module's controllers (invalid template
 * data reaches the template API and the send API alike): the shared fallback answers
 * them, so they are mapped once, wherever they surface. Exceptions only one module's
 * controllers see are mapped by that module's advice instead.
 */
public class ProblemException extends RuntimeException {

	private final ProblemType type;

	private final List<FieldProblem> fields;

	public ProblemException(ProblemType type, String message, List<FieldProblem> fields) {
		super(message);
		this.type = type;
		this.fields = List.copyOf(fields);
	}

	public ProblemType type() {
		return this.type;
	}

	public List<FieldProblem> fields() {
		return this.fields;
	}

}
