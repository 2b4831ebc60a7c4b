package org.ccm.templates;

import org.jspecify.annotations.Nullable;

/**
 * One difference between two versions of a template.
 *
 * @param path what changed, such as {@code subject.pl}, {@code blocks.intro.default} or
 * {@code dataSchema}
 * @param before the text in the first version, null when it was added
 * @param after the text in the second version, null when it was removed
 */
record VersionChange(String path, Kind kind, @Nullable String before, @Nullable String after) {

	public enum Kind {

		ADDED, REMOVED, CHANGED

	}

}
