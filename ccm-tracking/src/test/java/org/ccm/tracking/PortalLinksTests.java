package org.ccm.tracking;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

import org.ccm.core.Channel;
import org.ccm.tracking.TrackingToken.Delivery;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PortalLinksTests {

	static final String SECRET = "a-test-secret-that-is-long-enough-0123456789";

	final TrackingTokens tokens = new TrackingTokens(SECRET);

	final PortalLinks links = new PortalLinks(tokens,
			new TrackingProperties(URI.create("https://ccm.example.com"), SECRET, new TrackingProperties.Twilio(null),
					TrackingProperties.Events.DEFAULT, java.time.Duration.ofDays(90)));

	@Test
	void aPortalLinkIdentifiesItsCustomer() {
		UUID customer = UUID.randomUUID();
		URI inbox = links.inbox(customer);
		assertThat(inbox.toString()).startsWith("https://ccm.example.com/portal/");
		assertThat(links.verify(inbox.getPath().substring("/portal/".length()))).contains(customer);
		assertThat(links.verify(links.token(customer))).contains(customer);
	}

	@Test
	void otherLinksDoNotOpenThePortal() {
		UUID customer = UUID.randomUUID();
		String token = links.token(customer);
		assertThat(links.verify(token.substring(0, token.length() - 1))).isEmpty();
		assertThat(links.verify(token + "A")).isEmpty();
		assertThat(links.verify("")).isEmpty();
		String unsubscribe = tokens.sign(
				TrackingToken.unsubscribe(customer, new Delivery(UUID.randomUUID(), UUID.randomUUID(), Channel.EMAIL)));
		assertThat(links.verify(unsubscribe)).isEmpty();
		PortalLinks otherKey = new PortalLinks(new TrackingTokens("another-secret-that-is-long-enough-0123456789"),
				new TrackingProperties(URI.create("https://ccm.example.com"), SECRET,
						new TrackingProperties.Twilio(null), TrackingProperties.Events.DEFAULT,
						java.time.Duration.ofDays(90)));
		assertThat(otherKey.verify(token)).isEmpty();
	}

	@Test
	void aPortalLinkExpires() {
		UUID customer = UUID.randomUUID();
		Instant issued = Instant.parse("2026-11-01T12:00:00Z");
		TrackingProperties properties = new TrackingProperties(URI.create("https://ccm.example.com"), SECRET,
				new TrackingProperties.Twilio(null), TrackingProperties.Events.DEFAULT, Duration.ofDays(30));
		String token = new PortalLinks(tokens, properties, Clock.fixed(issued, ZoneOffset.UTC)).token(customer);

		assertThat(at(properties, issued.plus(Duration.ofDays(29))).verify(token)).contains(customer);
		assertThat(at(properties, issued.plus(Duration.ofDays(30))).verify(token)).isEmpty();
		assertThat(at(properties, issued.minus(Duration.ofHours(1))).verify(token)).as("issued in the future")
			.isEmpty();
	}

	private PortalLinks at(TrackingProperties properties, Instant now) {
		return new PortalLinks(tokens, properties, Clock.fixed(now, ZoneOffset.UTC));
	}

}
