package org.ccm.security;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param bootstrapApiKey a key to register at start-up with every scope, so automated
 * clients need no UI step ({@code CCM_BOOTSTRAP_API_KEY}); stored hashed, never logged
 * @param bootstrapClient the client name the bootstrap key is registered under
 * @param maxRequestBodyBytes the largest API request body accepted (bulk imports
 * excepted)
 */
@ConfigurationProperties("ccm.security")
record SecurityProperties(@Nullable String bootstrapApiKey, @Nullable String bootstrapClient,
		@DefaultValue("1048576") long maxRequestBodyBytes) {

	String bootstrapClientName() {
		return bootstrapClient != null && !bootstrapClient.isBlank() ? bootstrapClient : "bootstrap";
	}

}
