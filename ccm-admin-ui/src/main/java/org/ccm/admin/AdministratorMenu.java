package org.ccm.admin;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * Whether the administrators' pages (API keys, staff, audit log) are shown in the menu of
 * this module's pages; the pages themselves belong to the application's security.
 */
@ControllerAdvice(basePackageClasses = AdministratorMenu.class)
class AdministratorMenu {

	@ModelAttribute("administrator")
	boolean administrator(HttpServletRequest request) {
		return request.isUserInRole("ADMIN");
	}

}
