package org.ccm.tracking;

/**
 * A tracking or portal link that is not intact or not signed by us.
 */
class InvalidLinkException extends RuntimeException {

	InvalidLinkException() {
		super("The link is invalid or was altered");
	}

}
