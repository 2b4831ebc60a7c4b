package org.ccm.delivery;

/**
 * The state of one delivery of a communication on one channel. The normal path is
 * {@code ACCEPTED → QUEUED → SENT → DELIVERED}, followed by engagement.
 */
public enum DeliveryStatus {

	ACCEPTED, QUEUED,
	/**
	 * Claimed by a channel worker that is handing it to the provider; never sent twice.
	 */
	SENDING, SENT, DELIVERED, OPENED, CLICKED, RESPONDED,
	/** Postponed by quiet hours or a frequency cap; it will be sent later. */
	DEFERRED,
	/** Not sent: no consent, unsubscribed or unusable contact point. */
	SUPPRESSED,
	/** A provider error that is being retried. */
	TEMPORARY_FAILURE,
	/** The provider refused the message for good (invalid number, hard bounce). */
	PERMANENT_FAILURE,
	/** Our side failed after all retries; the message is parked as a dead letter. */
	TECHNICAL_FAILURE,
	/** Given up on this channel and moved to the customer's next preferred one. */
	FELL_BACK;

	public boolean isFinal() {
		return switch (this) {
			case SUPPRESSED, PERMANENT_FAILURE, TECHNICAL_FAILURE, FELL_BACK -> true;
			default -> false;
		};
	}

	/**
	 * Whether this status reports what happened after the message left the platform.
	 * Engagement only moves forward: a late open never replaces a click.
	 */
	public boolean isEngagement() {
		return engagementRank() > 0;
	}

	int engagementRank() {
		return switch (this) {
			case SENT -> 1;
			case DELIVERED -> 2;
			case OPENED -> 3;
			case CLICKED -> 4;
			case RESPONDED -> 5;
			default -> 0;
		};
	}

}
