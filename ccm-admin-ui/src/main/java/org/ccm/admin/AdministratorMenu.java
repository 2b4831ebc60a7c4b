package org.ccm.admin;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * Whether the administrators' pages (API keys, staff, audit log) and the pages with
 * customer data are shown in the menu of this module's pages; access to the pages
 * themselves is decided by the application's security.
 */
@ControllerAdvice(basePackageClasses = AdministratorMenu.class)
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
		return request.isUserInRole("ADMIN") || request.isUserInRole("MARKETER") || request.isUserInRole("OPS");
	}

	/** Whether captured mail, every message in full, is shown in the menu. */
	@ModelAttribute("capturedMail")
	boolean capturedMail(HttpServletRequest request) {
		return request.isUserInRole("ADMIN") || request.isUserInRole("OPS");
	}

}
