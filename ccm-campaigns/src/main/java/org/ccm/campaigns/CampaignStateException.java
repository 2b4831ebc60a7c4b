package org.ccm.campaigns;

/**
 * An action the campaign's state does not allow (a second launch, resuming a finished
 * campaign); nothing changed.
 */
public class CampaignStateException extends RuntimeException {

	private final CampaignState state;

	public CampaignStateException(String action, CampaignState state) {
		super("cannot " + action + " a campaign that is " + state);
		this.state = state;
	}

	public CampaignState state() {
		return this.state;
	}

}
