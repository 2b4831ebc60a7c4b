package org.ccm.core;

import java.time.Instant;

/**
 * A saved, named segment; campaigns and targeted template blocks refer to it by key.
 */
public record Segment(String key, String name, SegmentRule rule, Instant createdAt, Instant updatedAt) {

}
