package org.ccm.admin;

import java.security.Principal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.ccm.core.Channel;
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
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.util.UriUtils;

/**
 * Finding a customer by external id and looking at their profile, contact points (and
 * clearing a suppressed one), consents, engagement and timeline; revoking their portal
 * links.
 */
@Controller
class CustomerPages {

	static final int TIMELINE_PAGE = 25;

	private final Customers customers;

	private final Timeline timeline;

	private final Engagement engagement;

	private final PortalLinks portalLinks;

	CustomerPages(Customers customers, Timeline timeline, Engagement engagement, PortalLinks portalLinks) {
		this.portalLinks = portalLinks;
		this.customers = customers;
		this.timeline = timeline;
		this.engagement = engagement;
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
			@RequestParam(name = "cursor", required = false) @Nullable String cursor, Model model,
			HttpServletRequest request) {
		CustomerProfile customer = find(externalId);
		show(customer, cursor, model, request);
		return "admin/customer";
	}

	/**
	 * Clears a suppressed contact point (bounced, complained, invalid) so that it is used
	 * again; operators and administrators only, with a reason for the audit log.
	 */
	@PostMapping("/admin/customers/{externalId}/contact-points/{channel}/clear")
	String clear(@PathVariable String externalId, @PathVariable Channel channel,
			@RequestParam(name = "reason", required = false) @Nullable String reason, Principal principal,
			HttpServletRequest request, HttpServletResponse response, Model model, RedirectAttributes redirect) {
		if (!mayClear(request)) {
			throw new NotAllowedException("Only operators and administrators clear a suppressed contact point.");
		}
		CustomerProfile customer = find(externalId);
		if (reason == null || reason.isBlank()) {
			response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
			model.addAttribute("clearChannel", channel);
			model.addAttribute("clearProblem", "Enter why the " + label(channel) + " may be used again");
			show(customer, null, model, request);
			return "admin/customer";
		}
		boolean cleared = customers.clearContactState(customer.id(), channel, reason.strip(), principal.getName());
		redirect.addFlashAttribute(cleared ? "notice" : "problem", cleared ? "The " + label(channel) + " is used again."
				: "The " + label(channel) + " was not suppressed.");
		return "redirect:/admin/customers/" + UriUtils.encodePathSegment(externalId, "UTF-8");
	}

	/**
	 * Asks before revoking every portal link of the customer: it cannot be undone.
	 */
	@GetMapping("/admin/customers/{externalId}/portal-links/revoke")
	String confirmRevoke(@PathVariable String externalId, Model model, HttpServletRequest request) {
		requireSupport(request);
		model.addAttribute("customer", find(externalId));
		return "admin/portal-links-revoke";
	}

	/**
	 * Revokes every portal link issued to the customer so far (a forwarded message, a
	 * lost phone); operators and administrators only. The links sent from now on work.
	 */
	@PostMapping("/admin/customers/{externalId}/portal-links/revoke")
	String revoke(@PathVariable String externalId, Principal principal, HttpServletRequest request,
			RedirectAttributes redirect) {
		requireSupport(request);
		CustomerProfile customer = find(externalId);
		portalLinks.revoke(customer.id(), principal.getName());
		redirect.addFlashAttribute("notice",
				"Every portal link sent to this customer so far no longer works. Links sent from now on work.");
		return "redirect:/admin/customers/" + UriUtils.encodePathSegment(externalId, "UTF-8");
	}

	private CustomerProfile find(String externalId) {
		return customers.findByExternalId(externalId)
			.orElseThrow(() -> new PageNotFoundException("There is no customer " + externalId + "."));
	}

	// operators and administrators answer customers' calls about their contact points
	// and links
	private static boolean mayClear(HttpServletRequest request) {
		return request.isUserInRole("ADMIN") || request.isUserInRole("OPS");
	}

	private static void requireSupport(HttpServletRequest request) {
		if (!mayClear(request)) {
			throw new NotAllowedException("Only operators and administrators revoke a customer's portal links.");
		}
	}

	private static String label(Channel channel) {
		return switch (channel) {
			case EMAIL -> "email address";
			case SMS -> "phone number";
			case PRINT -> "postal address";
			case PORTAL -> "portal";
		};
	}

	private void show(CustomerProfile customer, @Nullable String cursor, Model model, HttpServletRequest request) {
		model.addAttribute("customer", customer);
		model.addAttribute("contactPoints", customers.contactPoints(customer.id()));
		model.addAttribute("mayClear", mayClear(request));
		model.addAttribute("engagement", engagement.ofCustomer(customer.id()));
		model.addAttribute("timeline", timeline.page(customer.id(), cursor, TIMELINE_PAGE));
		model.addAttribute("portalValidFrom", portalLinks.validFrom(customer.id()).orElse(null));
	}

}
