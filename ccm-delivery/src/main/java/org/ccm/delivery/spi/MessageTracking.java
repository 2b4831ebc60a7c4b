package org.ccm.delivery.spi;

import java.net.URI;

import org.jsoup.nodes.Document;

/**
 * Instruments outgoing messages so that engagement can be recorded. Implemented
 * downstream by the tracking module; delivery works without it (nothing is then tracked).
 */
public interface MessageTracking {

	/**
	 * Rewrites the links of an email's HTML to signed click links and adds an open pixel.
	 */
	String instrumentHtml(String html, TrackedMessage message);

	/**
	 * Rewrites the links of an email's HTML that was parsed already (the composer's
	 * document, copied for this message) and adds an open pixel: the same HTML as
	 * {@link #instrumentHtml(String, TrackedMessage)} of the document's HTML gives,
	 * without parsing it again. The document is the caller's copy and may be changed.
	 */
	default String instrumentHtml(Document html, TrackedMessage message) {
		return instrumentHtml(html.outerHtml(), message);
	}

	/**
	 * Personalises the links of a plain-text message (an SMS, an email's text part):
	 * portal addresses become the customer's own signed portal link. Other links stay as
	 * they are, so the text does not grow by a click token each.
	 */
	default String instrumentText(String text, TrackedMessage message) {
		return text;
	}

	/**
	 * The signed one-click unsubscribe URL for {@code List-Unsubscribe} (RFC 8058).
	 */
	URI unsubscribeUrl(TrackedMessage message);

}
