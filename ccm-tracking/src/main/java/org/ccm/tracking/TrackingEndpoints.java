package org.ccm.tracking;

import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import org.ccm.core.problems.ProblemType;
import org.ccm.core.problems.FieldProblem;
import org.ccm.tracking.TrackingToken.Kind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;

/**
 * The public endpoints behind the links in messages: open pixel, click redirect and
 * one-click unsubscribe. Every link is signed; anything else is answered with 400 and
 * goes nowhere.
 */
@RestController
class TrackingEndpoints {

	private static final Logger log = LoggerFactory.getLogger(TrackingEndpoints.class);

	// the smallest transparent GIF
	static final byte[] PIXEL = Base64.getDecoder().decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");

	private final TrackingTokens tokens;

	private final Interactions interactions;

	private final HitStream hits;

	private final PortalLinks portal;

	private final Clock clock;

	TrackingEndpoints(TrackingTokens tokens, Interactions interactions, HitStream hits, PortalLinks portal) {
		this.tokens = tokens;
		this.interactions = interactions;
		this.hits = hits;
		this.portal = portal;
		this.clock = Clock.systemUTC();
	}

	@GetMapping("/t/o/{token}.gif")
	ResponseEntity<byte[]> open(@PathVariable String token, HttpServletRequest request) {
		TrackingToken open = verify(token, Kind.OPEN);
		try {
			hits.record(open, Instant.now(clock), request.getHeader(HttpHeaders.USER_AGENT), request.getRemoteAddr());
		}
		catch (RuntimeException ex) {
			// the picture is shown whatever happens to the statistics
			log.warn("Open of delivery {} could not be recorded", open.requireDelivery().deliveryId(), ex);
		}
		return ResponseEntity.ok()
			.contentType(MediaType.IMAGE_GIF)
			.cacheControl(CacheControl.noStore().mustRevalidate())
			.header("Pragma", "no-cache")
			.header("Expires", "0")
			.body(PIXEL);
	}

	@GetMapping("/t/c/{token}")
	ResponseEntity<Void> click(@PathVariable String token, HttpServletRequest request) {
		TrackingToken click = verify(token, Kind.CLICK);
		try {
			hits.record(click, Instant.now(clock), request.getHeader(HttpHeaders.USER_AGENT), request.getRemoteAddr());
		}
		catch (RuntimeException ex) {
			// the customer still reaches the page they asked for
			log.warn("Click of delivery {} could not be recorded", click.requireDelivery().deliveryId(), ex);
		}
		return ResponseEntity.status(HttpStatus.FOUND)
			.header(HttpHeaders.LOCATION,
					portal.forClick(click.target(), click.customerId(),
							interactions.sentAt(click.requireDelivery().deliveryId())
								.orElseGet(() -> Instant.now(clock))))
			.cacheControl(CacheControl.noStore())
			.build();
	}

	@GetMapping("/t/u/{token}")
	ResponseEntity<String> confirmUnsubscribe(@PathVariable String token) {
		verify(token, Kind.UNSUBSCRIBE);
		return page("Unsubscribe", """
				<p>Do you want to stop receiving marketing messages on this channel?
				Messages about your account, such as invoices, will still reach you.</p>
				<form method="post" action="%s">
				<input type="hidden" name="List-Unsubscribe" value="One-Click">
				<button type="submit">Unsubscribe</button>
				</form>
				""".formatted(HtmlUtils.htmlEscape("/t/u/" + token)));
	}

	/**
	 * RFC 8058 one-click unsubscribe: mail providers POST
	 * {@code List-Unsubscribe=One-Click} without any session or token of ours, so the
	 * signed link is the only check.
	 */
	@PostMapping("/t/u/{token}")
	ResponseEntity<String> unsubscribe(@PathVariable String token) {
		interactions.unsubscribed(verify(token, Kind.UNSUBSCRIBE), Instant.now(clock));
		return page("Unsubscribed", "<p>You will no longer receive marketing messages on this channel.</p>");
	}

	@ExceptionHandler
	ResponseEntity<Object> invalidLink(InvalidLinkException ex) {
		return ProblemType.VALIDATION.answer(ex.getMessage(),
				List.of(new FieldProblem("token", "is not a valid signed link")));
	}

	private TrackingToken verify(String token, Kind kind) {
		return tokens.verify(token, kind).orElseThrow(InvalidLinkException::new);
	}

	private static ResponseEntity<String> page(String title, String body) {
		return ResponseEntity.ok()
			.contentType(MediaType.TEXT_HTML)
			.cacheControl(CacheControl.noStore())
			.body("""
					<!DOCTYPE html>
					<html lang="en"><head><meta charset="utf-8">
					<meta name="viewport" content="width=device-width, initial-scale=1">
					<title>%s</title>
					<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;line-height:1.5}
					button{font:inherit;padding:.5rem 1rem}</style></head>
					<body><h1>%s</h1>
					%s</body></html>
					"""
				.formatted(title, title, body));
	}

}
