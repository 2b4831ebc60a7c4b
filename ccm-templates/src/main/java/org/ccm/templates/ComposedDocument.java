package org.ccm.templates;

import java.util.List;
import java.util.Locale;

import org.ccm.core.Channel;
import org.jsoup.nodes.Document;
import org.jspecify.annotations.Nullable;

/**
 * A document composed for one channel. Which parts are present depends on the channel:
 * email has a subject, HTML and text; SMS has text; print has a PDF; portal has HTML and
 * a PDF.
 *
 * @param offersShown keys of the targeted offer blocks this customer saw in the document
 * @param parsedHtml an email's HTML as parsed while it was composed, the same document as
 * {@code html}: a sender that rewrites it (tracking links) works on a
 * {@linkplain Document#clone() copy} of it instead of parsing the HTML again; never
 * changed itself. Null when the document was not composed from a parsed email.
 */
public record ComposedDocument(String templateKey, int templateVersion, Channel channel, Locale locale,
		@Nullable String subject, @Nullable String html, @Nullable String text, byte @Nullable [] pdf,
		List<String> offersShown, @Nullable Document parsedHtml) {

	public ComposedDocument(String templateKey, int templateVersion, Channel channel, Locale locale,
			@Nullable String subject, @Nullable String html, @Nullable String text, byte @Nullable [] pdf,
			List<String> offersShown) {
		this(templateKey, templateVersion, channel, locale, subject, html, text, pdf, offersShown, null);
	}

}
