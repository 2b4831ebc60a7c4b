package org.ccm.campaigns;

import java.util.List;

/**
 * One page of campaigns, newest first.
 */
public record CampaignPage(List<Campaign> items, int page, int size, long total) {

}
