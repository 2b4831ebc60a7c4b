package org.ccm.core;

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
@RequestMapping("/api/v1/attributes")
class AttributeController {

	private final CustomerAttributes attributes;

	AttributeController(CustomerAttributes attributes) {
		this.attributes = attributes;
	}

	@GetMapping
	Collection<AttributeDefinition> all() {
		return attributes.all();
	}

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
