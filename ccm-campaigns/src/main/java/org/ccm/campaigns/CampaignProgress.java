package org.ccm.campaigns;

import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * How far a campaign has got, counted from its recipients.
 *
 * @param total recipients of every step started so far
 * @param sent recipients whose communication reached them on some channel
 * @param settled recipients with a final status
 * @param ratePerSecond recipients accepted by delivery per second, over the last few
 * seconds
 * @param etaSeconds seconds until every recipient is handed over at that rate, or null
 * when nothing moves
 * @param byStatus recipients per status
 * @param byChannel recipients per channel (where sent, else where expected) and status
 */
public record CampaignProgress(UUID id, CampaignState state, int currentStep, long total, long sent, long settled,
		double ratePerSecond, @Nullable Long etaSeconds, Map<RecipientStatus, Long> byStatus,
		Map<String, Map<RecipientStatus, Long>> byChannel) {

	/**
	 * Recipients who ended without the communication for one status and reason.
	 */
	public record Unsent(RecipientStatus status, String reason, long count) {

	}

	/**
	 * One recipient who ended without the communication.
	 *
	 * @param customer the customer's external id
	 * @param channel the channel tried, or where they were expected
	 */
	public record UnsentRecipient(int step, String customer, String channel, RecipientStatus status, String reason) {

	}

}
