package org.ccm.templates;

/**
 * Thrown when a change to a template breaks the review rules: the four-eyes rule, a
 * locked block changed without the brand role, a transition from the wrong state.
 */
class GovernanceException extends RuntimeException {

	/**
	 * Why the change was refused.
	 */
	public enum Reason {

		/** The actor lacks a role or is the version's author. */
		FORBIDDEN,
		/** The version is not in a state that allows the change. */
		CONFLICT

	}

	private final Reason reason;

	public GovernanceException(Reason reason, String message) {
		super(message);
		this.reason = reason;
	}

	public Reason reason() {
		return this.reason;
	}

}
