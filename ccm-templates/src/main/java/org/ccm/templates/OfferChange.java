package org.ccm.templates;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * One recorded step in an offer's life: who, when, and why when they said so.
 */
public record OfferChange(Action action, String actor, @Nullable String comment, Instant at) {

	/**
	 * What was done.
	 */
	public enum Action {

		CREATED, SAVED, SUBMITTED, APPROVED, REJECTED, RETIRED, REACTIVATED

	}

}
