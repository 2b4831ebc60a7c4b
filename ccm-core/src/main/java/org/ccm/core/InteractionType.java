package org.ccm.core;

/**
 * What happened between the organisation and a customer, as it appears on the customer's
 * timeline.
 */
public enum InteractionType {

	/** A communication was requested for the customer. */
	REQUESTED,
	/** A document left the platform on a channel. */
	SENT,
	/** The provider confirmed delivery. */
	DELIVERED,
	/** Delivery was postponed (quiet hours, frequency cap). */
	DEFERRED,
	/** Not sent: no consent, unsubscribed or unusable contact point. */
	SUPPRESSED,
	/** Delivery failed on a channel. */
	FAILED,
	/** Delivery moved on to the next preferred channel. */
	FELL_BACK, OPENED, CLICKED, RESPONDED, BOUNCED, UNSUBSCRIBED,
	/** A targeted offer was shown in a document. */
	PROPOSED,
	/** A purchase or other business transaction. */
	TRANSACTION, CONSENT_CHANGED,
	/** A contact point is no longer used: bounced, complained about, invalid. */
	CONTACT_POINT_SUPPRESSED,
	/** A suppressed contact point was cleared and is used again. */
	CONTACT_POINT_RESTORED,
	/**
	 * The customer changed how they are reached: channel order, quiet hours or a pause of
	 * marketing.
	 */
	PREFERENCES_CHANGED,
	/** The customer opted out of a topic (a newsletter, product news) or back in. */
	TOPIC_CHANGED

}
