package org.ccm.core;

/**
 * What is known about a contact point. Only unverified and verified contact points are
 * used for delivery; the others stay unused until a staff member clears them (or the
 * customer gives a new address or number).
 */
public enum ContactState {

	UNVERIFIED, VERIFIED,
	/** Mail to the address bounced for good (hard bounce). */
	BOUNCED,
	/** The recipient reported our mail as spam (a feedback-loop complaint). */
	COMPLAINED,
	/** The provider refused the number or address as not valid (an invalid number). */
	INVALID,
	/** Not to be used, for any other reason. */
	SUPPRESSED;

	public boolean reachable() {
		return this == UNVERIFIED || this == VERIFIED;
	}

}
