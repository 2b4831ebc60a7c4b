package org.ccm.admin;

/**
 * Something a page asked for does not exist, or a portal link is not valid; answered with
 * the not-found page.
 */
class PageNotFoundException extends RuntimeException {

	PageNotFoundException(String message) {
		super(message);
	}

}
