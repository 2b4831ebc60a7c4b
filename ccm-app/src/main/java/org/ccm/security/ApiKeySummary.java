package org.ccm.security;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * An API key as staff may see it: never the key itself, only its first characters.
 *
 * @param client the key's name, which is also the name the audit log records
 * @param allowedRanges the address ranges (CIDR) the key may be used from; empty for
 * anywhere
 */
public record ApiKeySummary(UUID id, String client, String prefix, Set<ApiScope> scopes, Instant createdAt,
		@Nullable String createdBy, @Nullable Instant expiresAt, List<String> allowedRanges,
		@Nullable Instant lastUsedAt, @Nullable Instant revokedAt, @Nullable String revokedBy) {

	public boolean active(Instant now) {
		return revokedAt == null && (expiresAt == null || expiresAt.isAfter(now));
	}

}
