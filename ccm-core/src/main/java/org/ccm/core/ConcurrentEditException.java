package org.ccm.core;

import java.util.List;

import org.ccm.core.problems.FieldProblem;
import org.ccm.core.problems.ProblemException;
import org.ccm.core.problems.ProblemType;

/**
 * Thrown when a change was based on a version of something staff edit (a segment, an
 * offer, a template draft) that someone else has changed since. Nothing was written: the
 * caller reloads it and applies the change again. The REST API answers {@code 409}.
 */
public class ConcurrentEditException extends ProblemException {

	private final String field;

	/**
	 * @param field the request field that carried the stale version ({@code version})
	 * @param message what was changed by whom it concerns, and which versions met
	 */
	public ConcurrentEditException(String field, String message) {
		super(ProblemType.CONFLICT, message,
				List.of(new FieldProblem(field, "is not the current one: reload and apply your change again")));
		this.field = field;
	}

	/**
	 * The request field that carried the stale version.
	 */
	public String field() {
		return this.field;
	}

	/**
	 * The message for a change based on {@code edited} of a thing now at {@code current}.
	 */
	public static ConcurrentEditException stale(String what, String field, long edited, long current) {
		return new ConcurrentEditException(field,
				what + " was changed by someone else: your change is based on " + field + " " + edited
						+ ", it is now at " + field + " " + current + "; reload it and apply your change again");
	}

}
