package org.ccm.delivery.spi;

import java.net.URI;

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
