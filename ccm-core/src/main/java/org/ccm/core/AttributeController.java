package org.ccm.core;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Collection;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Declared customer attributes: {@code GET /api/v1/attributes} lists them, {@code PUT
 * /api/v1/attributes/{name}} with {@code {"type": "NUMBER", "pii": false, "description":
 * "..."}} declares one ({@code 201}) or changes its PII flag and description
 * ({@code 200}); the type cannot change once declared.
 */
@RestController
@Tag(name = "Attributes", description = "Declared customer attributes")
@RequestMapping("/api/v1/attributes")
class AttributeController {

	private final CustomerAttributes attributes;

	AttributeController(CustomerAttributes attributes) {
		this.attributes = attributes;
	}

	@Operation(operationId = "listAttributes", summary = "List declared attributes")
	@GetMapping
	Collection<AttributeDefinition> all() {
		return attributes.all();
	}

	@Operation(operationId = "defineAttribute", summary = "Declare an attribute or change it",
			description = "The type cannot change once declared; the PII flag and description can.")
	@ApiResponse(responseCode = "201", description = "The attribute was declared",
			content = @Content(schema = @Schema(implementation = AttributeDefinition.class)))
	@ApiResponse(responseCode = "200", description = "The attribute was changed",
			content = @Content(schema = @Schema(implementation = AttributeDefinition.class)))
	@PutMapping("/{name}")
	ResponseEntity<AttributeDefinition> define(@PathVariable String name, @RequestBody AttributeRequest request) {
		if (request.type() == null) {
			throw new org.ccm.core.InvalidCustomerException(java.util.Map.of("type", "is required"));
		}
		boolean created = attributes.find(name).isEmpty();
		AttributeDefinition defined = attributes.define(new AttributeDefinition(name, request.type(),
				Boolean.TRUE.equals(request.pii()), request.description()));
		return ResponseEntity.status(created ? HttpStatus.CREATED : HttpStatus.OK).body(defined);
	}

	record AttributeRequest(@Nullable AttributeType type, @Nullable Boolean pii, @Nullable String description) {
	}

}
