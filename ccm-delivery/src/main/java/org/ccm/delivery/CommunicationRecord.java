package org.ccm.delivery;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.ccm.core.Channel;
import org.ccm.core.Purpose;
import org.jspecify.annotations.Nullable;

/**
 * A communication row as stored.
 *
 * @param requestedChannels the channels the request named, or null to follow the
 * customer's preference
 */
record CommunicationRecord(UUID id, UUID customerId, String customerExternalId, String template, Purpose purpose,
		Map<String, Object> data, @Nullable List<Channel> requestedChannels, Instant acceptedAt,
		@Nullable Instant routedAt, @Nullable Integer templateVersion) {

}
