package org.ccm.core;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * A customer in a list: enough to recognise them and open the full profile.
 */
public record CustomerSummary(UUID id, String externalId, String name, CustomerStatus status, @Nullable String email,
		@Nullable String phone, @Nullable String country, Instant updatedAt) {

}
