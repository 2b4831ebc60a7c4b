package org.ccm.security;

import org.ccm.core.CustomerProfile;
import org.ccm.core.Customers;
import org.ccm.tracking.PortalLinksRevoked;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Writes a revocation of a customer's portal links to the audit log, with who revoked
 * them, in the transaction that revoked them.
 */
@Component
class PortalLinkAudit {

	private final AuditLog audit;

	private final Customers customers;

	PortalLinkAudit(AuditLog audit, Customers customers) {
		this.audit = audit;
		this.customers = customers;
	}

	@EventListener
	void on(PortalLinksRevoked revoked) {
		String customer = customers.findById(revoked.customerId())
			.map(CustomerProfile::externalId)
			.orElse(revoked.customerId().toString());
		// the caller is the staff member or API key that revoked them
		this.audit.record("portal-links.revoked", "customer:" + customer, AuditLog.Outcome.SUCCESS, null, null,
				"links issued before " + revoked.validFrom() + " are void");
	}

}
