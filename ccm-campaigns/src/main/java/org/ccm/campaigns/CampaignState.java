package org.ccm.campaigns;

/**
 * Where a campaign is. {@code FINISHED} only once every recipient has a final status.
 */
public enum CampaignState {

	/** Created, not launched: it can still be launched. */
	DRAFT,
	/** Launched, recipients frozen, waiting for its start time. */
	SCHEDULED, RUNNING,
	/** Nothing new is handed to delivery; what was already handed over drains. */
	PAUSED, CANCELLED, FINISHED;

	/** Whether nothing more will be sent: cancelled or finished. */
	public boolean isOver() {
		return this == CANCELLED || this == FINISHED;
	}

}
