package org.ccm.core;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A search over customers; every criterion given must match.
 *
 * @param text an exact external id, email or phone number, or part of the name
 * @param attributes declared attribute name to the value it must have (as text, read in
 * the attribute's type)
 * @param segment key of a segment the customers must belong to
 * @param after the {@link CustomerSearchPage#next()} of the previous page, or null for
 * the first
 * @param limit customers per page
 */
record CustomerQuery(@Nullable String text, @Nullable CustomerStatus status, @Nullable String country,
		Map<String, String> attributes, @Nullable String segment, @Nullable String after, int limit) {

	public CustomerQuery {
		attributes = Map.copyOf(attributes);
	}

}
