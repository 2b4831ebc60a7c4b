package org.ccm.tracking;

import java.net.URI;
import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * The webhook an API key registered for the status changes of the communications it
 * sends.
 *
 * @param url where the changes are POSTed
 * @param createdAt when it was registered (or its secret last replaced)
 * @param secret the key of the requests' signatures; only given when it is registered,
 * never again
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StatusWebhook(URI url, Instant createdAt, @Nullable String secret) {

	@Override
	public String toString() {
		// never print the secret, whatever logs this
		return "StatusWebhook[url=" + url + ", createdAt=" + createdAt + "]";
	}

}
