package org.ccm.campaigns;

import java.util.Map;

/**
 * A campaign that cannot be created or launched as asked; nothing was stored.
 */
public class InvalidCampaignException extends RuntimeException {

	private final Map<String, String> problems;

	/**
	 * @param problems message per field path ({@code throttle.perChannel.SMS})
	 */
	public InvalidCampaignException(Map<String, String> problems) {
		super("The campaign is invalid: " + problems);
		this.problems = Map.copyOf(problems);
	}

	public Map<String, String> problems() {
		return this.problems;
	}

}
