package org.ccm.security;

import java.util.List;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.ccm.core.problems.ProblemType;
import org.ccm.tracking.StatusWebhook;
import org.ccm.tracking.StatusWebhookMessage;
import org.ccm.tracking.StatusWebhooks;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The status webhook of the calling API key: every status change of the communications
 * this key sends is POSTed to it, signed with the secret given when it is registered
 * ({@code docs/webhooks.md}). A key sees and changes only its own webhook.
 */
@RestController
@Tag(name = "Webhooks", description = "Status changes of your communications POSTed to your system")
@RequestMapping("/api/v1/webhook")
class WebhookController {

	private final StatusWebhooks webhooks;

	WebhookController(StatusWebhooks webhooks) {
		this.webhooks = webhooks;
	}

	record WebhookRequest(@Nullable String url) {

	}

	@Operation(operationId = "registerWebhook", summary = "Register this key's status webhook",
			description = "Sets the URL that status changes of the communications this key sends are POSTed to, and answers with a new signing secret: the only time it is shown. Registering again replaces the URL and the secret.")
	@ApiResponse(responseCode = "200", description = "The webhook with its secret",
			content = @Content(schema = @Schema(implementation = StatusWebhook.class)))
	@PutMapping
	ResponseEntity<Object> register(@RequestBody WebhookRequest request, ApiKeyAuthentication caller) {
		return ResponseEntity.ok(webhooks.register(keyId(caller), request.url()));
	}

	@Operation(operationId = "getWebhook", summary = "Get this key's status webhook",
			description = "The URL and when it was registered; never the secret.")
	@ApiResponse(responseCode = "200", description = "The webhook",
			content = @Content(schema = @Schema(implementation = StatusWebhook.class)))
	@GetMapping
	ResponseEntity<Object> find(ApiKeyAuthentication caller) {
		return webhooks.find(keyId(caller))
			.<ResponseEntity<Object>>map(ResponseEntity::ok)
			.orElseGet(WebhookController::notFound);
	}

	@Operation(operationId = "removeWebhook", summary = "Remove this key's status webhook",
			description = "Nothing more is sent; messages still waiting are marked failed.")
	@ApiResponse(responseCode = "204", description = "Removed")
	@DeleteMapping
	ResponseEntity<Object> remove(ApiKeyAuthentication caller) {
		return webhooks.remove(keyId(caller)) ? ResponseEntity.noContent().build() : notFound();
	}

	@Operation(operationId = "listWebhookMessages", summary = "List recent webhook messages",
			description = "This key's most recent status messages, newest first: PENDING (waiting or retrying, with the last answer and the next attempt), DELIVERED, or FAILED (not delivered within 24 hours of retries, or the webhook was removed).")
	@GetMapping("/messages")
	List<StatusWebhookMessage> messages(@RequestParam(defaultValue = "100") int limit, ApiKeyAuthentication caller) {
		return webhooks.messages(keyId(caller), limit);
	}

	private static UUID keyId(ApiKeyAuthentication caller) {
		UUID id = caller.keyId();
		if (id == null) {
			throw new IllegalStateException("an authenticated API key has an id");
		}
		return id;
	}

	private static ResponseEntity<Object> notFound() {
		return ProblemType.NOT_FOUND.answer("This API key has no webhook");
	}

}
