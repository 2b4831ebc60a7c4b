package org.ccm.security;

import java.time.Instant;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * An API key as staff may see it: never the key itself, only its first characters.
 */
public record ApiKeySummary(String client, String prefix, Set<ApiScope> scopes, Instant createdAt,
		@Nullable Instant revokedAt) {

}
