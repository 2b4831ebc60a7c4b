package org.ccm.delivery;

import java.net.URI;
import java.security.Principal;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import jakarta.validation.Valid;
import org.ccm.core.Channel;
import org.ccm.core.problems.ProblemType;
import org.ccm.core.problems.FieldProblem;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The send and status API for back-office systems, and the dead-letter API for operators.
 */
@RestController
@RequestMapping("/api/v1")
class CommunicationController {

	static final String IDEMPOTENCY_KEY = "Idempotency-Key";

	private final Communications communications;

	private final DeadLetters deadLetters;

	CommunicationController(Communications communications, DeadLetters deadLetters) {
		this.communications = communications;
		this.deadLetters = deadLetters;
	}

	/**
	 * The answer to an accepted send; a replay gets the same answer.
	 */
	record Accepted(UUID id, String status, Instant acceptedAt) {

	}

	@PostMapping("/communications")
	ResponseEntity<Object> send(@RequestHeader(IDEMPOTENCY_KEY) String idempotencyKey,
			@Valid @RequestBody SendRequest request, @Nullable Principal principal) {
		if (idempotencyKey.isBlank() || idempotencyKey.length() > 255) {
			return ProblemType.VALIDATION.answer("The idempotency key is invalid",
					List.of(new FieldProblem(IDEMPOTENCY_KEY, "must be 1 to 255 characters")));
		}
		String client = (principal != null) ? principal.getName() : "anonymous";
		Acceptance acceptance = this.communications.accept(request, idempotencyKey, client);
		return ResponseEntity.accepted()
			.location(URI.create("/api/v1/communications/" + acceptance.communicationId()))
			.header("Idempotent-Replayed", String.valueOf(acceptance.replayed()))
			.body(new Accepted(acceptance.communicationId(), DeliveryStatus.ACCEPTED.name(), acceptance.acceptedAt()));
	}

	@GetMapping("/communications/{id}")
	ResponseEntity<Object> communication(@PathVariable UUID id) {
		return this.communications.find(id)
			.<ResponseEntity<Object>>map(ResponseEntity::ok)
			.orElseGet(() -> notFound("no communication " + id));
	}

	@GetMapping("/communications/{id}/documents/{channel}")
	ResponseEntity<Object> document(@PathVariable UUID id, @PathVariable String channel) {
		Channel parsed;
		try {
			parsed = Channel.valueOf(channel.toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			return ProblemType.VALIDATION.answer("Unknown channel '" + channel + "'",
					List.of(new FieldProblem("channel", "must be one of email, sms, print, portal")));
		}
		return this.communications.document(id, parsed)
			.<ResponseEntity<Object>>map((document) -> ResponseEntity.ok()
				.contentType(MediaType.parseMediaType(document.contentType()))
				.header(HttpHeaders.CONTENT_DISPOSITION,
						ContentDisposition.inline().filename(document.filename()).build().toString())
				.body(document.content()))
			.orElseGet(() -> notFound(
					"no document sent on " + parsed.name().toLowerCase(Locale.ROOT) + " for communication " + id));
	}

	@GetMapping("/dead-letters")
	List<DeadLetter> deadLetters(@RequestParam(defaultValue = "100") int limit) {
		return this.deadLetters.list(limit);
	}

	@PostMapping("/dead-letters/{id}/replay")
	ResponseEntity<Object> replay(@PathVariable UUID id) {
		return this.deadLetters.replay(id)
			.<ResponseEntity<Object>>map((letter) -> ResponseEntity.accepted().body(letter))
			.orElseGet(() -> notFound("no dead letter " + id));
	}

	private static ResponseEntity<Object> notFound(String detail) {
		return ProblemType.NOT_FOUND.answer(detail, List.of());
	}

}
