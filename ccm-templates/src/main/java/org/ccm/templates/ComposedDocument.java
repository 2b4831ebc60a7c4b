package org.ccm.templates;

import java.util.List;
import java.util.Locale;

import org.ccm.core.Channel;
import org.jspecify.annotations.Nullable;

/**
 * A document composed for one channel. Which parts are present depends on the channel:
 * email has a subject, HTML and text; SMS has text; print has a PDF; portal has HTML and
 * a PDF.
 *
 * @param offersShown keys of the targeted offer blocks this customer saw in the document
 */
public record ComposedDocument(String templateKey, int templateVersion, Channel channel, Locale locale,
		@Nullable String subject, @Nullable String html, @Nullable String text, byte @Nullable [] pdf,
		List<String> offersShown) {

}
