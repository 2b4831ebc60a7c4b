package org.ccm.core;

import java.time.Instant;

/**
 * The current consent of a customer for one channel and purpose, with where it came from.
 */
public record ConsentState(Channel channel, Purpose purpose, boolean granted, String source, Instant recordedAt) {

}
