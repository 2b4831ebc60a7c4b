package org.ccm.tracking;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Service;

/**
 * Signed links that open a customer's portal inbox without a login: sent in messages and
 * used by staff to see the portal as the customer does. Whoever holds the link sees the
 * inbox, so it goes only to the customer's own contact points.
 */
@Service
public class PortalLinks {

	// links issued by another replica whose clock runs a little ahead are still accepted
	private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

	private final TrackingTokens tokens;

	private final String base;

	private final Duration validity;

	private final Clock clock;

	// this application's portal pages, as documents write them: without a token
	private final Pattern portalAddress;

	@Autowired
	PortalLinks(TrackingTokens tokens, TrackingProperties properties) {
		this(tokens, properties, Clock.systemUTC());
	}

	PortalLinks(TrackingTokens tokens, TrackingProperties properties, Clock clock) {
		this.tokens = tokens;
		this.base = properties.base();
		this.validity = properties.portalLinkValidity();
		this.clock = clock;
		// a sentence may end right after the address
		this.portalAddress = Pattern
			.compile(Pattern.quote(this.base + "/portal") + "(?:/\\S*?)?(?=[.,;:!?)]*(?:$|\\s))");
	}

	/**
	 * The token that identifies the customer in portal URLs ({@code /portal/{token}}).
	 */
	public String token(UUID customerId) {
		return tokens.sign(TrackingToken.portal(customerId, clock.instant()));
	}

	/**
	 * The absolute link to the customer's portal inbox.
	 */
	public URI inbox(UUID customerId) {
		return URI.create(base + "/portal/" + token(customerId));
	}

	private URI inbox(UUID customerId, Instant issuedAt) {
		return URI.create(base + "/portal/" + tokens.sign(TrackingToken.portal(customerId, issuedAt)));
	}

	/**
	 * Where a click on a link in a message leads. Documents link to the portal without a
	 * token (the same text goes to print); the signed click knows whose message it was,
	 * so a portal link opens that customer's inbox. The link is as old as the message: a
	 * click on a message older than the portal links' validity leads to an expired link,
	 * not to a fresh one. Other links are left as they are.
	 */
	String forClick(String target, UUID customerId, Instant sentAt) {
		return portalAddress.matcher(target).matches() ? inbox(customerId, sentAt).toString() : target;
	}

	/**
	 * Plain text (an SMS, an email's text part) with every portal address replaced by the
	 * customer's signed portal link.
	 */
	String personalise(String text, UUID customerId) {
		return portalAddress.matcher(text).replaceAll(Matcher.quoteReplacement(inbox(customerId).toString()));
	}

	/**
	 * The customer a portal token was issued for, if it is intact, signed by us and not
	 * expired.
	 */
	public Optional<UUID> verify(String token) {
		Instant now = clock.instant();
		return tokens.verify(token, TrackingToken.Kind.PORTAL).filter((portal) -> {
			Instant issuedAt = portal.issuedAt();
			return issuedAt != null && issuedAt.isBefore(now.plus(CLOCK_SKEW)) && issuedAt.plus(validity).isAfter(now);
		}).map(TrackingToken::customerId);
	}

}
