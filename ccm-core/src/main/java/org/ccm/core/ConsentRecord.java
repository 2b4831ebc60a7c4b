package org.ccm.core;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * One entry of a customer's consent history: what was given or withdrawn, where it came
 * from and who recorded it.
 */
public record ConsentRecord(Channel channel, Purpose purpose, boolean granted, String source,
		@Nullable String changedBy, Instant recordedAt) {

}
