package org.ccm.templates;

/**
 * Where an offer stands in its review. Documents show only an {@link #APPROVED} offer.
 */
public enum OfferState {

	/** Saved, not yet submitted for review (or sent back with changes requested). */
	DRAFT,
	/** Submitted for review: awaiting an approver other than its author. */
	IN_REVIEW,
	/** What it shows now was approved; documents show it within its dates. */
	APPROVED,
	/** Made inactive: documents no longer show it. */
	RETIRED

}
