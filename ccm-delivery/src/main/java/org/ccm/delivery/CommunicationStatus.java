package org.ccm.delivery;

import java.util.List;

/**
 * Where a communication stands as a whole, for back-office systems that poll one field
 * instead of reading every delivery.
 */
public enum CommunicationStatus {

	/** Stored and published; not routed to channels yet. */
	ACCEPTED,
	/** At least one delivery is still queued, being sent, deferred or retried. */
	IN_PROGRESS,
	/** Nothing is pending and at least one delivery reached the customer. */
	SENT,
	/** Nothing is pending and no delivery reached the customer (see their reasons). */
	UNDELIVERED;

	static CommunicationStatus of(List<DeliveryView> deliveries) {
		if (deliveries.isEmpty()) {
			return ACCEPTED;
		}
		if (deliveries.stream()
			.anyMatch((delivery) -> !delivery.status().isFinal() && !delivery.status().isEngagement())) {
			return IN_PROGRESS;
		}
		return deliveries.stream().anyMatch((delivery) -> delivery.status().isEngagement()) ? SENT : UNDELIVERED;
	}

}
