package org.ccm.tracking;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import org.ccm.core.Channel;
import org.ccm.delivery.spi.TrackedMessage;
import org.ccm.tracking.TrackingToken.Kind;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LinkTrackingTests {

	static final String SECRET = "a-test-secret-that-is-long-enough-0123456789";

	final TrackingTokens tokens = new TrackingTokens(SECRET);

	final TrackingProperties properties = new TrackingProperties(URI.create("https://ccm.example.com/"), SECRET,
			new TrackingProperties.Twilio(null), TrackingProperties.Events.DEFAULT, java.time.Duration.ofDays(90));

	final PortalLinks portal = new PortalLinks(tokens, properties);

	final LinkTracking tracking = new LinkTracking(tokens, properties, portal);

	final TrackedMessage message = new TrackedMessage(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());

	@Test
	void webLinksBecomeSignedClickLinksToTheirTarget() {
		String html = """
				<!DOCTYPE html><html><head><title>Invoice</title></head><body>
				<p><a href="https://example.com/pay?invoice=42&amp;x=1">Pay</a>
				<a href="HTTP://example.com/plain">Plain</a>
				<a href="mailto:help@example.com">Mail us</a>
				<a href="#top">Top</a></p></body></html>
				""";
		Document instrumented = Jsoup.parse(tracking.instrumentHtml(html, message));

		List<String> hrefs = instrumented.select("a[href]").eachAttr("href");
		assertThat(hrefs.get(0)).startsWith("https://ccm.example.com/t/c/");
		assertThat(hrefs.get(1)).startsWith("https://ccm.example.com/t/c/");
		assertThat(hrefs.subList(2, 4)).containsExactly("mailto:help@example.com", "#top");
		TrackingToken first = tokens.verify(hrefs.get(0).substring("https://ccm.example.com/t/c/".length()), Kind.CLICK)
			.orElseThrow();
		assertThat(first.target()).isEqualTo("https://example.com/pay?invoice=42&x=1");
		assertThat(first.customerId()).isEqualTo(message.customerId());
		assertThat(first.requireDelivery().deliveryId()).isEqualTo(message.deliveryId());
		assertThat(first.requireDelivery().communicationId()).isEqualTo(message.communicationId());
		assertThat(first.requireDelivery().channel()).isEqualTo(Channel.EMAIL);
		assertThat(instrumented.title()).isEqualTo("Invoice");
	}

	@Test
	void portalAddressesInPlainTextBecomeTheCustomersSignedPortalLink() {
		String text = """
				Invoice INV-7: 84.20 EUR. See it at https://ccm.example.com/portal/invoices/INV-7.
				Or your inbox: https://ccm.example.com/portal
				Shop: https://shop.example.com/portal/deals https://ccm.example.com/portalish""";
		String instrumented = tracking.instrumentText(text, message);

		List<String> portalLinks = java.util.regex.Pattern
			.compile("https://ccm\\.example\\.com/portal/(\\S+?)(?=\\.?\\s|$)")
			.matcher(instrumented)
			.results()
			.map((match) -> match.group(1))
			.toList();
		assertThat(portalLinks).hasSize(2)
			.allSatisfy((token) -> assertThat(portal.verify(token)).contains(message.customerId()));
		assertThat(instrumented).doesNotContain("invoices/INV-7")
			.contains("See it at https://ccm.example.com/portal/" + portalLinks.get(0) + ".\n")
			.endsWith("Shop: https://shop.example.com/portal/deals https://ccm.example.com/portalish");
	}

	@Test
	void aParsedEmailIsInstrumentedAsItsHtmlWouldBeAndOnlyTheCopyChanges() {
		Document composed = Jsoup
			.parse("""
					<!DOCTYPE html><html lang="de"><head><meta charset="UTF-8"><title>Rechnung</title>
					<style>p { color: red }</style></head><body style="margin: 0">
					<table><tr><td style="padding: 2px 4px">Zażółć &amp; €&nbsp;12 &lt;3</td></tr></table>
					<p><a href="https://example.com/a?x=1&amp;y=2" style="color: #0b6e4f">Go</a> <a href="mailto:a@b.c">mail</a>
					<br>text <a href=" https://ccm.example.com/t/c/already ">tracked</a></p><!-- comment --></body></html>
					""");
		composed.outputSettings().prettyPrint(false);
		String html = composed.outerHtml();

		String fromParsed = tracking.instrumentHtml(composed.clone(), message);

		assertThat(fromParsed).isEqualTo(tracking.instrumentHtml(html, message)).contains("/t/c/", "/t/o/");
		assertThat(composed.outerHtml()).isEqualTo(html);
	}

	@Test
	void anOpenPixelIsAppended() {
		Document instrumented = Jsoup.parse(tracking.instrumentHtml("<p>Hello</p>", message));
		Element pixel = instrumented.select("img").last();
		assertThat(pixel).isNotNull();
		String src = pixel.attr("src");
		assertThat(src).startsWith("https://ccm.example.com/t/o/").endsWith(".gif");
		assertThat(pixel.attr("width")).isEqualTo("1");
		assertThat(pixel.attr("height")).isEqualTo("1");
		assertThat(pixel.attr("alt")).isEmpty();
		String token = src.substring("https://ccm.example.com/t/o/".length(), src.length() - ".gif".length());
		assertThat(tokens.verify(token, Kind.OPEN)).hasValueSatisfying(
				(open) -> assertThat(open.requireDelivery().deliveryId()).isEqualTo(message.deliveryId()));
	}

	@Test
	void theUnsubscribeUrlIsASignedLinkForTheDelivery() {
		URI url = tracking.unsubscribeUrl(message);
		assertThat(url.toString()).startsWith("https://ccm.example.com/t/u/");
		String token = url.getPath().substring("/t/u/".length());
		assertThat(tokens.verify(token, Kind.UNSUBSCRIBE))
			.hasValueSatisfying((unsubscribe) -> assertThat(unsubscribe.customerId()).isEqualTo(message.customerId()));
	}

}
