package org.ccm.campaigns;

import java.util.List;

/**
 * One recipient's progress through a step of a campaign.
 */
public enum RecipientStatus {

	/** Frozen at launch, waiting for fan-out. */
	PENDING,
	/** Held back for the pilot release or the A/B winner. */
	HELD,
	/** Handed to Kafka, not yet accepted by delivery. */
	QUEUED,
	/** Accepted by delivery, not routed or not sent yet. */
	ACCEPTED,
	/** Postponed by delivery (quiet hours, frequency cap); it will go later. */
	DEFERRED,
	/** Sent on some channel: final. */
	SENT,
	/** Not sent by routing's decision (consent, preference, contact point): final. */
	SKIPPED,
	/** Delivery failed on every channel tried: final. */
	FAILED,
	/** The campaign was cancelled before this recipient was handed over: final. */
	CANCELLED;

	static final List<String> OPEN = List.of(PENDING.name(), HELD.name(), QUEUED.name(), ACCEPTED.name(),
			DEFERRED.name());

	/** Whether the recipient will not change any more. */
	public boolean isFinal() {
		return !OPEN.contains(name());
	}

}
