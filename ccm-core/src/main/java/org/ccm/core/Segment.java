package org.ccm.core;

import java.time.Instant;

/**
 * A saved, named segment; campaigns and targeted template blocks refer to it by key.
 *
 * @param version raised by every change; an edit sends back the version it was based on
 */
public record Segment(String key, String name, SegmentRule rule, Instant createdAt, Instant updatedAt, long version) {

}
