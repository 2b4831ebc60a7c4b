package org.ccm.campaigns;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * The engagement funnel of a campaign per step, variant and channel. Each stage counts
 * recipients that got at least that far (a click counts as an open); opens and clicks are
 * people's, while those tracking took for machines' are counted beside them.
 */
public record CampaignResults(UUID id, List<Funnel> funnels) {

	/**
	 * @param variant the A/B variant's name, or null without a test
	 * @param channel the channel the communication was sent on
	 * @param machineOpens opens by image proxies and caches (every one, not recipients)
	 * @param machineClicks clicks by mail security scanners (every one, not recipients)
	 */
	public record Funnel(int step, @Nullable String variant, String channel, long sent, long delivered, long opened,
			long clicked, long responded, long machineOpens, long machineClicks) {

	}

	/**
	 * Recipients of one step, variant and channel who first reached each stage within one
	 * period starting {@code at}.
	 *
	 * @param variant the A/B variant's name, or null without a test
	 */
	public record Moment(Instant at, int step, @Nullable String variant, String channel, long sent, long delivered,
			long opened, long clicked, long responded) {

	}

}
