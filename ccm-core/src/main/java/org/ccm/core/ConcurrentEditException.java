package org.ccm.core;

import java.util.List;

import org.ccm.core.problems.FieldProblem;
import org.ccm.core.problems.ProblemException;
import org.ccm.core.problems.ProblemType;
import org.jspecify.annotations.Nullable;

/**
 * Thrown when a change was based on a version of something staff edit (a segment, an
 * offer, a template draft) that someone else has changed since. Nothing was written: the
 * caller reloads it and applies the change again. The REST API answers {@code 409}.
 */
public class ConcurrentEditException extends ProblemException {

	private static final String AGAIN = "; reload it and apply your change again";

	private final String field;

	/**
	 * @param field the request field that carried the stale version ({@code version})
	 * @param message what was changed, and which versions met
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
	 * Refuses a change based on {@code edited} of a thing that is now at {@code current},
	 * or was deleted ({@code null}); a change that names no version is not checked.
	 * @param what the thing, for the message ({@code segment 'gold'})
	 * @param field the request field that carries the version
	 */
	public static void check(String what, String field, @Nullable Long edited, @Nullable Long current) {
		if (edited == null) {
			return;
		}
		if (current == null) {
			throw new ConcurrentEditException(field,
					what + " was deleted by someone else after you read " + field + " " + edited);
		}
		if (!edited.equals(current)) {
			throw new ConcurrentEditException(field, what + " was changed by someone else: your change is based on "
					+ field + " " + edited + ", it is now at " + field + " " + current + AGAIN);
		}
	}

	/**
	 * A change refused because another was written between its read and its write.
	 */
	public static ConcurrentEditException simultaneous(String what, String field) {
		return new ConcurrentEditException(field, what + " was changed by someone else at the same moment" + AGAIN);
	}

}
