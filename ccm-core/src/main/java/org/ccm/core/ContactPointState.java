package org.ccm.core;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * The state of the contact point behind a channel, with why and since when.
 *
 * @param value the address or number (the postal code and country for print)
 * @param reason why it is in this state (the provider's answer), if known
 * @param since when it took this state, if known
 */
public record ContactPointState(Channel channel, String value, ContactState state, @Nullable String reason,
		@Nullable Instant since) {

	/** Whether deliveries skip it until it is cleared. */
	public boolean suppressed() {
		return !state.reachable();
	}

}
