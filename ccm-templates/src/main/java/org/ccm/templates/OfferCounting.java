package org.ccm.templates;

import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * Whether a composition counts the offers it shows against their caps, and for what.
 *
 * @param count false for previews, which never count
 * @param reference the delivery the document is for: a second composition for it shows
 * the offers counted the first time without counting them again
 */
record OfferCounting(boolean count, @Nullable UUID reference) {

	static final OfferCounting NONE = new OfferCounting(false, null);

}
