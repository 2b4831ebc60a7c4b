package org.ccm.tracking;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import org.ccm.core.problems.FieldProblem;
import org.ccm.core.problems.ProblemType;
import org.ccm.tracking.Bounce.Kind;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Bounces and complaints posted as JSON by email providers that report them themselves
 * (documented in {@code docs/webhooks.md}). Accepted only when signed with the shared
 * secret over a fresh timestamp ({@link WebhookSignature}); each event counts once by its
 * id, so a provider may post again after a timeout.
 */
@RestController
class BounceWebhooks {

	static final String SOURCE = "webhook";

	static final int MAX_EVENTS = 100;

	private static final JsonMapper JSON = JsonMapper.builder()
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.build();

	private final Bounces bounces;

	private final BounceProperties.Webhook webhook;

	private final Clock clock;

	BounceWebhooks(Bounces bounces, BounceProperties properties, Clock clock) {
		this.bounces = bounces;
		this.webhook = properties.webhook();
		this.clock = clock;
	}

	record Payload(@Nullable List<Event> events) {

	}

	/**
	 * One reported bounce or complaint; see {@code docs/webhooks.md}.
	 */
	record Event(@Nullable String id, @Nullable String type, @Nullable String bounce, @Nullable String deliveryId,
			@Nullable String returnPath, @Nullable String recipient, @Nullable String status,
			@Nullable String diagnostic, @Nullable String feedbackType, @Nullable String occurredAt) {

	}

	/**
	 * What became of the events posted.
	 */
	record Received(int recorded, int duplicates, int unmatched) {

	}

	@PostMapping(path = "/t/bounces", consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<Object> receive(
			@RequestHeader(name = WebhookSignature.TIMESTAMP_HEADER, required = false) @Nullable String timestamp,
			@RequestHeader(name = WebhookSignature.SIGNATURE_HEADER, required = false) @Nullable String signature,
			@RequestBody byte[] body) {
		String secret = webhook.secret();
		if (secret == null || secret.isBlank()) {
			return forbidden(WebhookSignature.SIGNATURE_HEADER, "no webhook secret is configured");
		}
		Instant now = clock.instant();
		Long signedAt = WebhookSignature.fresh(timestamp, now, webhook.tolerance());
		if (signedAt == null) {
			return forbidden(WebhookSignature.TIMESTAMP_HEADER,
					"must be Unix seconds within " + webhook.tolerance().toSeconds() + " s of the server's clock");
		}
		if (!WebhookSignature.verify(secret, signedAt, body, signature)) {
			return forbidden(WebhookSignature.SIGNATURE_HEADER, "is missing or does not match");
		}
		Payload payload;
		try {
			payload = JSON.readValue(body, Payload.class);
		}
		catch (JacksonException ex) {
			return ProblemType.VALIDATION.answer("The body is not the bounce webhook's JSON",
					List.of(new FieldProblem("body", "must be a JSON object with an events array")));
		}
		List<FieldProblem> problems = new ArrayList<>();
		List<Bounce> reported = new ArrayList<>();
		List<Instant> times = new ArrayList<>();
		if (payload == null || payload.events() == null || payload.events().isEmpty()) {
			problems.add(new FieldProblem("events", "must list at least one event"));
		}
		else if (payload.events().size() > MAX_EVENTS) {
			problems.add(new FieldProblem("events", "must list at most " + MAX_EVENTS + " events"));
		}
		else {
			for (int i = 0; i < payload.events().size(); i++) {
				Event event = payload.events().get(i);
				Bounce bounce = (event != null) ? bounce(event, "events[" + i + "].", problems) : null;
				if (event == null) {
					problems.add(new FieldProblem("events[" + i + "]", "must be an object"));
				}
				if (bounce != null) {
					reported.add(bounce);
					times.add(occurredAt(event, now));
				}
			}
		}
		if (!problems.isEmpty()) {
			return ProblemType.VALIDATION.answer("The bounce events have invalid fields", problems);
		}
		int recorded = 0;
		int duplicates = 0;
		int unmatched = 0;
		for (int i = 0; i < reported.size(); i++) {
			switch (bounces.record(reported.get(i), SOURCE, times.get(i))) {
				case RECORDED -> recorded++;
				case DUPLICATE -> duplicates++;
				case UNMATCHED -> unmatched++;
			}
		}
		return ResponseEntity.ok(new Received(recorded, duplicates, unmatched));
	}

	private static @Nullable Bounce bounce(Event event, String path, List<FieldProblem> problems) {
		int before = problems.size();
		if (event.id() == null || event.id().isBlank() || event.id().length() > 200) {
			problems.add(new FieldProblem(path + "id", "must be the provider's event id, 1 to 200 characters"));
		}
		Kind kind = null;
		String type = lower(event.type());
		if ("complaint".equals(type)) {
			kind = Kind.COMPLAINT;
		}
		else if ("bounce".equals(type)) {
			String bounce = lower(event.bounce());
			if ("hard".equals(bounce)) {
				kind = Kind.HARD;
			}
			else if ("soft".equals(bounce)) {
				kind = Kind.SOFT;
			}
			else {
				problems.add(new FieldProblem(path + "bounce", "must be hard or soft"));
			}
		}
		else {
			problems.add(new FieldProblem(path + "type", "must be bounce or complaint"));
		}
		UUID deliveryId = null;
		if (event.deliveryId() != null) {
			deliveryId = BounceMessages.uuid(event.deliveryId()).orElse(null);
			if (deliveryId == null) {
				problems.add(new FieldProblem(path + "deliveryId", "must be a delivery id (UUID)"));
			}
		}
		else if (event.returnPath() != null) {
			deliveryId = BounceMessages.verp(event.returnPath()).orElse(null);
			if (deliveryId == null) {
				problems.add(new FieldProblem(path + "returnPath",
						"must be the return path the message was sent with, bounces+<delivery id>@domain"));
			}
		}
		else {
			problems.add(new FieldProblem(path + "deliveryId", "is required, unless returnPath is given"));
		}
		if (event.occurredAt() != null) {
			try {
				Instant.parse(event.occurredAt());
			}
			catch (DateTimeParseException ex) {
				problems.add(new FieldProblem(path + "occurredAt",
						"must be an ISO-8601 instant such as 2026-12-03T16:10:02Z"));
			}
		}
		if (problems.size() > before || kind == null) {
			return null;
		}
		String detail = (kind == Kind.COMPLAINT)
				? "feedback " + ((event.feedbackType() != null) ? lower(event.feedbackType()) : "abuse")
				: event.diagnostic();
		String recipient = (event.recipient() != null) ? event.recipient().strip().toLowerCase(Locale.ROOT) : null;
		return new Bounce("webhook:" + event.id(), kind, deliveryId, recipient, event.status(), detail);
	}

	private static Instant occurredAt(Event event, Instant now) {
		if (event.occurredAt() == null) {
			return now;
		}
		Instant at = Instant.parse(event.occurredAt());
		// a provider's clock ahead of ours must not put a bounce in the future
		return at.isAfter(now) ? now : at;
	}

	private static @Nullable String lower(@Nullable String value) {
		return (value != null) ? value.strip().toLowerCase(Locale.ROOT) : null;
	}

	private static ResponseEntity<Object> forbidden(String header, String message) {
		return ProblemType.FORBIDDEN.answer("The request is not signed with the bounce webhook's secret",
				List.of(new FieldProblem(header, message)));
	}

}
