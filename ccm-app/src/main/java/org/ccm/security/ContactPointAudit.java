package org.ccm.security;

import org.ccm.core.ContactPointCleared;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Writes a cleared contact point to the audit log with the reason the staff member gave,
 * in the transaction that cleared it.
 */
@Component
class ContactPointAudit {

	private final AuditLog audit;

	ContactPointAudit(AuditLog audit) {
		this.audit = audit;
	}

	@EventListener
	void on(ContactPointCleared cleared) {
		this.audit.record("contact-point.cleared",
				"customer:" + cleared.externalId() + " " + cleared.channel().name().toLowerCase(java.util.Locale.ROOT),
				AuditLog.Outcome.SUCCESS, cleared.previous().name(), "UNVERIFIED", "reason: " + cleared.reason());
	}

}
