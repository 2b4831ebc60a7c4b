package org.ccm.security;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param bootstrapApiKey a key to register at start-up with every scope, so automated
 * clients need no UI step ({@code CCM_BOOTSTRAP_API_KEY}); stored hashed, never logged,
 * registered only when it is not known yet, so a revoked bootstrap key stays revoked
 * @param bootstrapClient the client name the bootstrap key is registered under
 * @param maxRequestBodyBytes the largest request body accepted on any path (bulk imports
 * have their own limit)
 * @param maxImportBytes the largest bulk import file, streamed to disk as it arrives
 * @param multipartPaths the only paths (Ant patterns) that accept multipart uploads, and
 * only from a signed-in caller; every other multipart request is refused unread
 * @param apiKeyCacheTtl how long an instance trusts what it read about a key; a
 * revocation takes effect on every instance within this time (at most a minute)
 * @param json limits on JSON request bodies, checked before any controller sees them
 * @param login sign-in throttling for staff
 * @param rateLimits requests per API key and per client address on public endpoints
 * @param audit how long the audit log is kept
 */
@ConfigurationProperties("ccm.security")
record SecurityProperties(@Nullable String bootstrapApiKey, @Nullable String bootstrapClient,
		@DefaultValue("1048576") long maxRequestBodyBytes, @DefaultValue("2147483648") long maxImportBytes,
		@DefaultValue List<String> multipartPaths, @DefaultValue("30s") Duration apiKeyCacheTtl,
		@DefaultValue Json json, @DefaultValue Login login, @DefaultValue RateLimits rateLimits,
		@DefaultValue Audit audit) {

	SecurityProperties {
		if (apiKeyCacheTtl.compareTo(Duration.ofMinutes(1)) > 0) {
			throw new IllegalArgumentException("ccm.security.api-key-cache-ttl must be at most one minute, so that "
					+ "a revoked key stops working within a minute");
		}
	}

	String bootstrapClientName() {
		return bootstrapClient != null && !bootstrapClient.isBlank() ? bootstrapClient : "bootstrap";
	}

	/**
	 * @param maxDepth the deepest nesting of objects and arrays
	 * @param maxArrayElements the most elements of any one array (a segment rule with
	 * 100,000 values would otherwise reach the database)
	 * @param maxStringLength the longest string value
	 */
	record Json(@DefaultValue("32") int maxDepth, @DefaultValue("1000") int maxArrayElements,
			@DefaultValue("100000") int maxStringLength) {
	}

	/**
	 * @param maxFailures failed sign-ins in a row (wrong passwords and wrong
	 * second-factor codes) after which an account is locked
	 * @param lockDuration how long a locked account stays locked unless an administrator
	 * unlocks it
	 * @param secondFactorKey the key that encrypts staff members' TOTP secrets
	 * ({@code CCM_SECOND_FACTOR_KEY}); without it a built-in key is used, fit for a local
	 * run only
	 */
	record Login(@DefaultValue("5") int maxFailures, @DefaultValue("15m") Duration lockDuration,
			@Nullable String secondFactorKey) {
	}

	/**
	 * @param perApiKey requests per minute one API key may make
	 * @param perClientAddress requests per minute one client address may make to the
	 * public endpoints (tracking, portal, sign-in)
	 */
	record RateLimits(@DefaultValue("true") boolean enabled, @DefaultValue("6000") long perApiKey,
			@DefaultValue("600") long perClientAddress) {
	}

	/**
	 * @param retention how long audit entries are kept
	 */
	record Audit(@DefaultValue("400d") Duration retention) {
	}

}
