package org.ccm.admin;

/**
 * The signed-in staff member's roles do not allow what they asked for; answered with a
 * page that says which role does.
 */
class NotAllowedException extends RuntimeException {

	NotAllowedException(String message) {
		super(message);
	}

}
