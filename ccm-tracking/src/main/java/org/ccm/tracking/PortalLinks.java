package org.ccm.tracking;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Signed links that open a customer's portal inbox without a login: sent in messages and
 * used by staff to see the portal as the customer does. Whoever holds the link sees the
 * inbox, so it goes only to the customer's own contact points. Every link issued to a
 * customer so far can be revoked at once ({@link #revoke}).
 */
@Service
public class PortalLinks {

	// links issued by another replica whose clock runs a little ahead are still accepted
	private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

	private final TrackingTokens tokens;

	private final String base;

	private final Duration validity;

	private final Clock clock;

	// without a database (unit tests of the signing alone) nothing is ever revoked
	private final @Nullable JdbcClient jdbc;

	private final @Nullable ApplicationEventPublisher events;

	// this application's portal pages, as documents write them: without a token
	private final Pattern portalAddress;

	@Autowired
	PortalLinks(TrackingTokens tokens, TrackingProperties properties, JdbcClient jdbc,
			ApplicationEventPublisher events) {
		this(tokens, properties, Clock.systemUTC(), jdbc, events);
	}

	PortalLinks(TrackingTokens tokens, TrackingProperties properties) {
		this(tokens, properties, Clock.systemUTC());
	}

	PortalLinks(TrackingTokens tokens, TrackingProperties properties, Clock clock) {
		this(tokens, properties, clock, null, null);
	}

	PortalLinks(TrackingTokens tokens, TrackingProperties properties, Clock clock, @Nullable JdbcClient jdbc,
			@Nullable ApplicationEventPublisher events) {
		this.tokens = tokens;
		this.base = properties.base();
		this.validity = properties.portalLinkValidity();
		this.clock = clock;
		this.jdbc = jdbc;
		this.events = events;
		// a sentence may end right after the address
		this.portalAddress = Pattern
			.compile(Pattern.quote(this.base + "/portal") + "(?:/\\S*?)?(?=[.,;:!?)]*(?:$|\\s))");
	}

	/**
	 * The token that identifies the customer in portal URLs ({@code /portal/{token}}).
	 */
	public String token(UUID customerId) {
		Instant now = clock.instant();
		// within the second of a revocation a new link is issued as of the mark, or it
		// would be void at once (tokens keep whole seconds)
		Instant issuedAt = validFrom(customerId).filter(now::isBefore).orElse(now);
		return tokens.sign(TrackingToken.portal(customerId, issuedAt));
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
		Matcher matcher = portalAddress.matcher(text);
		if (!matcher.find()) {
			// no link to sign, no revocation to look up
			return text;
		}
		return matcher.replaceAll(Matcher.quoteReplacement(inbox(customerId).toString()));
	}

	/**
	 * The customer a portal token was issued for, if it is intact, signed by us, not
	 * expired and not revoked.
	 */
	public Optional<UUID> verify(String token) {
		Instant now = clock.instant();
		return tokens.verify(token, TrackingToken.Kind.PORTAL).filter((portal) -> {
			Instant issuedAt = portal.issuedAt();
			return issuedAt != null && issuedAt.isBefore(now.plus(CLOCK_SKEW)) && issuedAt.plus(validity).isAfter(now)
					&& validFrom(portal.customerId()).map((from) -> !issuedAt.isBefore(from)).orElse(true);
		}).map(TrackingToken::customerId);
	}

	/**
	 * Makes every portal link issued to the customer so far void: in messages sent,
	 * behind click redirects of old messages and in staff's open pages alike. Links
	 * issued afterwards work. Published as {@link PortalLinksRevoked} for the audit log.
	 * @param actor the staff member or API client revoking them
	 * @return from when links are valid again
	 */
	@Transactional
	public Instant revoke(UUID customerId, String actor) {
		if (jdbc == null || events == null) {
			throw new IllegalStateException("portal links are revoked in the database");
		}
		Instant now = clock.instant();
		// tokens keep whole seconds: every link of this second is void too
		Instant from = now.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
		Instant validFrom = jdbc.sql("""
				INSERT INTO portal_link_revocation (customer_id, valid_from, revoked_at, revoked_by)
				VALUES (:customer, :from, :now, :actor)
				ON CONFLICT (customer_id) DO UPDATE
				SET valid_from = GREATEST(portal_link_revocation.valid_from, EXCLUDED.valid_from),
				    revoked_at = EXCLUDED.revoked_at, revoked_by = EXCLUDED.revoked_by
				RETURNING valid_from
				""")
			.param("customer", customerId)
			.param("from", at(from))
			.param("now", at(now))
			.param("actor", actor)
			.query(OffsetDateTime.class)
			.single()
			.toInstant();
		events.publishEvent(new PortalLinksRevoked(customerId, validFrom, actor));
		return validFrom;
	}

	/**
	 * From when the customer's portal links are valid, if they were ever revoked: links
	 * issued before are void.
	 */
	public Optional<Instant> validFrom(UUID customerId) {
		if (jdbc == null) {
			return Optional.empty();
		}
		return jdbc.sql("SELECT valid_from FROM portal_link_revocation WHERE customer_id = :customer")
			.param("customer", customerId)
			.query(OffsetDateTime.class)
			.optional()
			.map(OffsetDateTime::toInstant);
	}

	private static OffsetDateTime at(Instant instant) {
		return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
	}

}
