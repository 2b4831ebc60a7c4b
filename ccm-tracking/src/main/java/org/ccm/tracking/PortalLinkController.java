package org.ccm.tracking;

import java.security.Principal;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.ccm.core.Customers;
import org.ccm.core.UnknownCustomerException;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Revoking a customer's portal links from a back-office system, for instance when the
 * customer reports a forwarded message.
 */
@RestController
@Tag(name = "Customers")
class PortalLinkController {

	private final PortalLinks links;

	private final Customers customers;

	PortalLinkController(PortalLinks links, Customers customers) {
		this.links = links;
		this.customers = customers;
	}

	@Operation(operationId = "revokePortalLinks", summary = "Revoke the customer's portal links",
			description = "Every portal link issued to the customer so far stops working: in messages sent and behind their tracked links. Links in messages sent afterwards work.")
	@ApiResponse(responseCode = "204", description = "The links are revoked")
	@ApiResponse(responseCode = "404", description = "There is no such customer")
	@DeleteMapping("/api/v1/customers/{externalId}/portal-links")
	ResponseEntity<Void> revoke(@PathVariable String externalId, @Nullable Principal principal) {
		var customer = customers.findByExternalId(externalId)
			.orElseThrow(() -> new UnknownCustomerException(externalId));
		links.revoke(customer.id(), (principal != null) ? principal.getName() : "api");
		return ResponseEntity.noContent().build();
	}

}
