package org.ccm.tracking;

import java.net.URI;
import java.util.Locale;

import org.ccm.core.Channel;
import org.ccm.delivery.spi.MessageTracking;
import org.ccm.delivery.spi.TrackedMessage;
import org.ccm.tracking.TrackingToken.Delivery;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.springframework.stereotype.Component;

/**
 * Instruments outgoing email: every web link becomes a signed click link and a 1×1 pixel
 * reports the open. In plain text (SMS, the email's text part) only portal addresses
 * change, into the customer's signed portal link.
 */
@Component
class LinkTracking implements MessageTracking {

	private final TrackingTokens tokens;

	private final String base;

	private final PortalLinks portal;

	LinkTracking(TrackingTokens tokens, TrackingProperties properties, PortalLinks portal) {
		this.tokens = tokens;
		this.base = properties.base();
		this.portal = portal;
	}

	@Override
	public String instrumentHtml(String html, TrackedMessage message) {
		return instrumentHtml(Jsoup.parse(html), message);
	}

	@Override
	public String instrumentHtml(Document document, TrackedMessage message) {
		Delivery delivery = delivery(message);
		document.outputSettings().prettyPrint(false);
		for (Element link : document.select("a[href]")) {
			String href = link.attr("href").trim();
			if (isWebLink(href) && !href.startsWith(base + "/t/")) {
				link.attr("href",
						base + "/t/c/" + tokens.sign(TrackingToken.click(message.customerId(), delivery, href)));
			}
		}
		document.body()
			.appendElement("img")
			.attr("src", base + "/t/o/" + tokens.sign(TrackingToken.open(message.customerId(), delivery)) + ".gif")
			.attr("width", "1")
			.attr("height", "1")
			.attr("alt", "")
			.attr("style", "display:block;width:1px;height:1px;border:0");
		return document.outerHtml();
	}

	@Override
	public String instrumentText(String text, TrackedMessage message) {
		return this.portal.personalise(text, message.customerId());
	}

	@Override
	public URI unsubscribeUrl(TrackedMessage message) {
		return URI
			.create(base + "/t/u/" + tokens.sign(TrackingToken.unsubscribe(message.customerId(), delivery(message))));
	}

	private static Delivery delivery(TrackedMessage message) {
		// links are only instrumented in email; SMS and documents carry no tracking of
		// their own
		return new Delivery(message.deliveryId(), message.communicationId(), Channel.EMAIL);
	}

	private static boolean isWebLink(String href) {
		String lower = href.toLowerCase(Locale.ROOT);
		return lower.startsWith("http://") || lower.startsWith("https://");
	}

}
