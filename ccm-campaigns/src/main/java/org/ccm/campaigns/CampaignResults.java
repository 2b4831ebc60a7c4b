package org.ccm.campaigns;

import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * The engagement funnel of a campaign per step, variant and channel. Each stage counts
 * recipients that got at least that far (a click counts as an open).
 */
public record CampaignResults(UUID id, List<Funnel> funnels) {

	/**
	 * @param variant the A/B variant's name, or null without a test
	 * @param channel the channel the communication was sent on
	 */
	public record Funnel(int step, @Nullable String variant, String channel, long sent, long delivered, long opened,
			long clicked, long responded) {

	}

	/**
	 * Recipients who first reached each stage within one period starting {@code at}.
	 */
	public record Moment(java.time.Instant at, long sent, long delivered, long opened, long clicked, long responded) {

	}

}
