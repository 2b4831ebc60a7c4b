package org.ccm.templates;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * One audited change of a version's state.
 */
record VersionTransition(@Nullable VersionState from, VersionState to, String actor, @Nullable String comment,
		Instant at) {

}
