package org.ccm.core;

/**
 * What is known about a contact point. Bounced and suppressed contact points are not used
 * for delivery until they are verified again.
 */
public enum ContactState {

	UNVERIFIED, VERIFIED, BOUNCED, SUPPRESSED,
	/** The customer reported a message as spam: never mailed again unless they ask. */
	COMPLAINED;

	public boolean reachable() {
		return this == UNVERIFIED || this == VERIFIED;
	}

}
