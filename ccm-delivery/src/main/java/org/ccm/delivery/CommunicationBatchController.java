package org.ccm.delivery;

import java.io.IOException;
import java.security.Principal;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/v1/communications:batch}: up to 10,000 sends as a JSON array or as
 * JSON lines ({@code application/x-ndjson}), each with its own {@code idempotencyKey};
 * answered with one result per item in the same format, written as the items are
 * accepted.
 */
@RestController
@Tag(name = "Communications")
@RequestMapping("/api/v1")
class CommunicationBatchController {

	static final String JSON_LINES = "application/x-ndjson";

	private final CommunicationBatches batches;

	CommunicationBatchController(CommunicationBatches batches) {
		this.batches = batches;
	}

	@Operation(operationId = "sendCommunications", summary = "Send many communications",
			description = "Up to 10,000 sends as a JSON array or as JSON lines (application/x-ndjson), each with its own idempotencyKey. Answers 200 with one result per item in the same format, written as the items are accepted: 202 with the communication id, or a problem detail naming the item and field. Good items are accepted even when others are bad.")
	@PostMapping(path = "/communications:batch", consumes = { MediaType.APPLICATION_JSON_VALUE, JSON_LINES })
	void batch(HttpServletRequest request, HttpServletResponse response, @Nullable Principal principal,
			@RequestAttribute(name = Communications.API_KEY_ATTRIBUTE, required = false) @Nullable UUID apiKeyId)
			throws IOException {
		String client = (principal != null) ? principal.getName() : "anonymous";
		boolean lines = MediaType.parseMediaType(request.getContentType())
			.isCompatibleWith(MediaType.parseMediaType(JSON_LINES));
		response.setStatus(HttpStatus.OK.value());
		response.setCharacterEncoding("UTF-8");
		response.setContentType(lines ? JSON_LINES : MediaType.APPLICATION_JSON_VALUE);
		if (lines) {
			this.batches.acceptLines(request.getInputStream(), response.getOutputStream(), client, apiKeyId);
		}
		else {
			this.batches.acceptArray(request.getInputStream(), response.getOutputStream(), client, apiKeyId);
		}
	}

}
