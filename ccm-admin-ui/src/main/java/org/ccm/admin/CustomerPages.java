package org.ccm.admin;

import org.ccm.core.CustomerProfile;
import org.ccm.core.Customers;
import org.ccm.core.Timeline;
import org.ccm.tracking.Engagement;
import org.ccm.tracking.PortalLinks;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.util.UriUtils;

/**
 * Finding a customer by external id and looking at their profile, consents, engagement
 * and timeline.
 */
@Controller
class CustomerPages {

	static final int TIMELINE_PAGE = 25;

	private final Customers customers;

	private final Timeline timeline;

	private final Engagement engagement;

	private final PortalLinks portalLinks;

	CustomerPages(Customers customers, Timeline timeline, Engagement engagement, PortalLinks portalLinks) {
		this.customers = customers;
		this.timeline = timeline;
		this.engagement = engagement;
		this.portalLinks = portalLinks;
	}

	@GetMapping("/admin/customers")
	String search(@RequestParam(name = "externalId", required = false) @Nullable String externalId, Model model) {
		if (externalId != null && !externalId.isBlank()) {
			if (customers.findByExternalId(externalId.trim()).isPresent()) {
				return "redirect:/admin/customers/" + UriUtils.encodePathSegment(externalId.trim(), "UTF-8");
			}
			model.addAttribute("notFound", externalId.trim());
		}
		return "admin/customers";
	}

	@GetMapping("/admin/customers/{externalId}")
	String customer(@PathVariable String externalId,
			@RequestParam(name = "cursor", required = false) @Nullable String cursor, Model model) {
		CustomerProfile customer = customers.findByExternalId(externalId)
			.orElseThrow(() -> new PageNotFoundException("There is no customer " + externalId + "."));
		model.addAttribute("customer", customer);
		model.addAttribute("engagement", engagement.ofCustomer(customer.id()));
		model.addAttribute("timeline", timeline.page(customer.id(), cursor, TIMELINE_PAGE));
		model.addAttribute("portal", "/portal/" + portalLinks.token(customer.id()));
		return "admin/customer";
	}

}
