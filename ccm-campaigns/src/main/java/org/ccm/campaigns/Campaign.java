package org.ccm.campaigns;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * A campaign as created, with where it stands.
 *
 * @param templateVersions the template version of each step, pinned at launch
 * @param currentStep the step being sent (1 is the first send)
 * @param stepStartedAt when the current step started
 * @param winner the name of the A/B variant that went to the rest
 * @param total how many recipients the first step froze at launch
 */
public record Campaign(UUID id, String name, CampaignState state, CampaignRequest definition,
		@Nullable List<Integer> templateVersions, int currentStep, @Nullable String winner, @Nullable Long total,
		String createdBy, Instant createdAt, @Nullable Instant launchedAt, @Nullable Instant startsAt,
		@Nullable Instant stepStartedAt, @Nullable Instant releasedAt, @Nullable Instant finishedAt) {

}
