package org.ccm.admin;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * Which entries of the staff menu a role sees, on every staff page: this module's and the
 * administrators' pages the application adds (API keys, staff, audit log, in
 * {@code org.ccm.security}). Access to the pages themselves is decided by the
 * application's security.
 */
@ControllerAdvice(basePackages = { "org.ccm.admin", "org.ccm.security" })
class AdministratorMenu {

	@ModelAttribute("administrator")
	boolean administrator(HttpServletRequest request) {
		return request.isUserInRole("ADMIN");
	}

	/**
	 * Whether customer records are shown in the menu (the brand team's and approvers' are
	 * not).
	 */
	@ModelAttribute("customerData")
	boolean customerData(HttpServletRequest request) {
		return StaffRoles.customerData(request);
	}

	/** Whether the operator pages (dead letters, operations) are shown in the menu. */
	@ModelAttribute("operator")
	boolean operator(HttpServletRequest request) {
		return StaffRoles.operator(request);
	}

	/** Whether the campaign pages are shown in the menu. */
	@ModelAttribute("campaigner")
	boolean campaigner(HttpServletRequest request) {
		return StaffRoles.campaigner(request);
	}

	/** Whether captured mail, every message in full, is shown in the menu. */
	@ModelAttribute("capturedMail")
	boolean capturedMail(HttpServletRequest request) {
		return request.isUserInRole("ADMIN") || request.isUserInRole("OPS");
	}

}
