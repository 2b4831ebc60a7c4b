package org.ccm.admin;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The staff login form. The form posts to {@code /admin/login}, where the application's
 * security configuration checks the credentials.
 */
@Controller
class StaffLogin {

	@GetMapping("/admin/login")
	String login() {
		return "admin/login";
	}

}
