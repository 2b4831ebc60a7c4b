package org.ccm.campaigns;

import java.util.UUID;

/**
 * No campaign has the id asked for.
 */
public class UnknownCampaignException extends RuntimeException {

	public UnknownCampaignException(UUID id) {
		super("no campaign " + id);
	}

}
