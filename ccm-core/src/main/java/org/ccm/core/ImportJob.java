package org.ccm.core;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * A bulk import and how far it got.
 *
 * @param processed rows read so far
 * @param progress share of the file read, from 0 to 1
 * @param failure why the whole import stopped (an unreadable file, an unknown column), if
 * it did
 */
public record ImportJob(UUID id, ImportFormat format, Status status, long processed, long accepted, long rejected,
		double progress, @Nullable String failure, Instant createdAt, @Nullable Instant finishedAt) {

	public enum Status {

		QUEUED, RUNNING, COMPLETED, FAILED

	}

}
