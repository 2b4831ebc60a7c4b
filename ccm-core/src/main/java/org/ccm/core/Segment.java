package org.ccm.core;

import java.time.Instant;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A saved, named segment; campaigns and targeted template blocks refer to it by key.
 *
 * @param version raised by every change; an edit sends back the version it was based on
 */
public record Segment(String key, String name, SegmentRule rule, Instant createdAt, Instant updatedAt,
		@Schema(description = "Raised by every change; send it back with a change of the segment",
				example = "3") long version) {

}
