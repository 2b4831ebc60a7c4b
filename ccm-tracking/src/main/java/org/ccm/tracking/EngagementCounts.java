package org.ccm.tracking;

/**
 * Engagement with a set of deliveries (a customer's, a template's).
 *
 * @param sent deliveries that left the platform
 * @param opened deliveries opened at least once
 * @param clicked deliveries with at least one clicked link
 * @param opens every open, including repeats (image proxies, re-reads)
 * @param clicks every click
 */
public record EngagementCounts(long sent, long opened, long clicked, long opens, long clicks) {

	public static final EngagementCounts NONE = new EngagementCounts(0, 0, 0, 0, 0);

	/**
	 * Share of sent deliveries that were opened, between 0 and 1.
	 */
	public double openRate() {
		return (sent != 0) ? Math.min(1.0, (double) opened / sent) : 0.0;
	}

	/**
	 * Share of sent deliveries with a click, between 0 and 1.
	 */
	public double clickRate() {
		return (sent != 0) ? Math.min(1.0, (double) clicked / sent) : 0.0;
	}

}
