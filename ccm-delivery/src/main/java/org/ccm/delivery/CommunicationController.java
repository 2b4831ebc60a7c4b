package org.ccm.delivery;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
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
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The send and status API for back-office systems, and the dead-letter API for operators.
 */
@RestController
@Tag(name = "Communications",
		description = "Sending communications and following their deliveries; dead letters for operators")
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

	@Operation(operationId = "sendCommunication", summary = "Send a communication",
			description = "Composes the template with the data for the customer and delivers it on the channels the purpose, the customer's preferences and consents allow. Answers once the request is stored; delivery follows. Retrying with the same Idempotency-Key and body answers the first answer again (Idempotent-Replayed: true) and sends nothing twice.")
	@ApiResponse(responseCode = "202", description = "Accepted: the communication will be delivered",
			content = @Content(schema = @Schema(implementation = Accepted.class)))
	@ApiResponse(responseCode = "422",
			description = "The template has no published version, or the Idempotency-Key was used with another request")
	@PostMapping("/communications")
	ResponseEntity<Object> send(@RequestHeader(IDEMPOTENCY_KEY) String idempotencyKey,
			@Valid @RequestBody SendRequest request, @Nullable Principal principal,
			@RequestAttribute(name = Communications.API_KEY_ATTRIBUTE, required = false) @Nullable UUID apiKeyId) {
		if (idempotencyKey.isBlank() || idempotencyKey.length() > 255) {
			return ProblemType.VALIDATION.answer("The idempotency key is invalid",
					List.of(new FieldProblem(IDEMPOTENCY_KEY, "must be 1 to 255 characters")));
		}
		String client = (principal != null) ? principal.getName() : "anonymous";
		Acceptance acceptance = this.communications.accept(request, idempotencyKey, client, null, apiKeyId);
		return ResponseEntity.accepted()
			.location(URI.create("/api/v1/communications/" + acceptance.communicationId()))
			.header("Idempotent-Replayed", String.valueOf(acceptance.replayed()))
			.body(new Accepted(acceptance.communicationId(), DeliveryStatus.ACCEPTED.name(), acceptance.acceptedAt()));
	}

	@Operation(operationId = "getCommunication", summary = "Get a communication's status",
			description = "Status per channel, with the history of each delivery, timestamps and failure reasons.")
	@ApiResponse(responseCode = "200", description = "The communication",
			content = @Content(schema = @Schema(implementation = CommunicationView.class)))
	@GetMapping("/communications/{id}")
	ResponseEntity<Object> communication(@PathVariable UUID id) {
		return this.communications.find(id)
			.<ResponseEntity<Object>>map(ResponseEntity::ok)
			.orElseGet(() -> notFound("no communication " + id));
	}

	@Operation(operationId = "getDocument", summary = "Download a document as it was sent",
			description = "The archived document: PDF for print and portal, the email as .eml (message/rfc822), the SMS text.")
	@ApiResponse(responseCode = "200", description = "The document",
			content = @Content(mediaType = "application/octet-stream",
					schema = @Schema(type = "string", format = "binary")))
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

	@Operation(operationId = "listDeadLetters", summary = "List dead letters",
			description = "Messages that failed after every retry.")
	@GetMapping("/dead-letters")
	List<DeadLetter> deadLetters(@RequestParam(defaultValue = "100") int limit) {
		return this.deadLetters.list(limit);
	}

	@Operation(operationId = "replayDeadLetter", summary = "Replay a dead letter",
			description = "Sends the message back to its topic.")
	@ApiResponse(responseCode = "202", description = "The message was replayed",
			content = @Content(schema = @Schema(implementation = DeadLetter.class)))
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
