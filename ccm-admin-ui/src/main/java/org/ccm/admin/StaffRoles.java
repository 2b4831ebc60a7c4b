package org.ccm.admin;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Who may see and steer which pages beyond the template studio. The application's
 * security configuration guards the same addresses; the pages check again so that a
 * missing rule there never opens them.
 */
final class StaffRoles {

	private StaffRoles() {
	}

	/**
	 * Who sees customer data: customer records, their communications and archived
	 * documents, and previews for a real customer. The brand team and approvers work on
	 * templates with proof sets and sample customers.
	 */
	static boolean customerData(HttpServletRequest request) {
		return request.isUserInRole("ADMIN") || request.isUserInRole("MARKETER") || request.isUserInRole("OPS");
	}

	static void requireCustomerData(HttpServletRequest request) {
		if (!customerData(request)) {
			throw new NotAllowedException("Only marketers, operators and administrators see customer data.");
		}
	}

	/** Marketers and operators run campaigns. */
	static boolean campaigner(HttpServletRequest request) {
		return request.isUserInRole("ADMIN") || request.isUserInRole("MARKETER") || request.isUserInRole("OPS");
	}

	/** Operators watch the platform. */
	static boolean operator(HttpServletRequest request) {
		return request.isUserInRole("ADMIN") || request.isUserInRole("OPS");
	}

	static void requireCampaigner(HttpServletRequest request) {
		if (!campaigner(request)) {
			throw new NotAllowedException("Only marketers and operators see and run campaigns.");
		}
	}

	static void requireOperator(HttpServletRequest request) {
		if (!operator(request)) {
			throw new NotAllowedException("Only operators and administrators see the operations dashboard.");
		}
	}

}
