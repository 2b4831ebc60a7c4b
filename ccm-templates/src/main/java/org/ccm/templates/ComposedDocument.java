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
 * @param html the HTML, or null when it is kept only as {@code parsedHtml} (an email):
 * {@link #html()} then writes it out when asked
 * @param offersShown keys of the targeted offer blocks this customer saw in the document
 * @param parsedHtml an email's HTML as parsed while it was composed: a sender that
 * rewrites it (tracking links) works on a {@linkplain Document#clone() copy} of it and
 * writes out only that, instead of parsing or writing the HTML twice; never changed
 * itself. Null when the document was not composed from a parsed email.
 */
public record ComposedDocument(String templateKey, int templateVersion, Channel channel, Locale locale,
		@Nullable String subject, @Nullable String html, @Nullable String text, byte @Nullable [] pdf,
		List<String> offersShown, @Nullable Document parsedHtml) {

	/**
	 * The HTML, written out from {@code parsedHtml} on each call when only that was kept:
	 * a sender that tracks links never needs the untracked text.
	 */
	@Override
	public @Nullable String html() {
		return (this.html != null || this.parsedHtml == null) ? this.html : this.parsedHtml.outerHtml();
	}

	public ComposedDocument(String templateKey, int templateVersion, Channel channel, Locale locale,
			@Nullable String subject, @Nullable String html, @Nullable String text, byte @Nullable [] pdf,
			List<String> offersShown) {
		this(templateKey, templateVersion, channel, locale, subject, html, text, pdf, offersShown, null);
	}

}
