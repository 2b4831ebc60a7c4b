package org.ccm.admin;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.ccm.core.Channel;
import org.ccm.core.ConsentChange;
import org.ccm.core.CustomerProfile;
import org.ccm.core.Customers;
import org.ccm.core.Purpose;
import org.ccm.delivery.PortalInbox;
import org.ccm.tracking.PortalLinks;
import org.jspecify.annotations.Nullable;
import org.springframework.http.CacheControl;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;

/**
 * The customer portal: the inbox of documents delivered on the portal channel, each
 * viewable and downloadable as PDF, and the marketing preferences. The signed link in the
 * URL identifies the customer; there is no login.
 */
@Controller
class PortalPages {

	private final PortalLinks links;

	private final PortalInbox inbox;

	private final Customers customers;

	PortalPages(PortalLinks links, PortalInbox inbox, Customers customers) {
		this.links = links;
		this.inbox = inbox;
		this.customers = customers;
	}

	@GetMapping("/portal/{token}")
	String inbox(@PathVariable String token, Model model) {
		CustomerProfile customer = customer(token);
		model.addAttribute("token", token);
		model.addAttribute("customer", customer);
		model.addAttribute("documents", inbox.documents(customer.id()));
		return "portal/inbox";
	}

	@GetMapping("/portal/{token}/documents/{id}")
	String document(@PathVariable String token, @PathVariable UUID id, Model model) {
		CustomerProfile customer = customer(token);
		String html = inbox.html(customer.id(), id).orElseThrow(PortalPages::noDocument);
		model.addAttribute("token", token);
		model.addAttribute("customer", customer);
		model.addAttribute("document",
				inbox.documents(customer.id())
					.stream()
					.filter((document) -> document.id().equals(id))
					.findFirst()
					.orElseThrow(PortalPages::noDocument));
		model.addAttribute("html", html);
		return "portal/document";
	}

	@GetMapping("/portal/{token}/documents/{id}.pdf")
	ResponseEntity<byte[]> pdf(@PathVariable String token, @PathVariable UUID id) {
		CustomerProfile customer = customer(token);
		byte[] pdf = inbox.pdf(customer.id(), id).orElseThrow(PortalPages::noDocument);
		return ResponseEntity.ok()
			.contentType(MediaType.APPLICATION_PDF)
			.cacheControl(CacheControl.noStore())
			.header(HttpHeaders.CONTENT_DISPOSITION,
					ContentDisposition.attachment().filename("document-" + id + ".pdf").build().toString())
			.body(pdf);
	}

	/**
	 * The preference centre: which channels the customer agrees to receive marketing on.
	 * Transactional messages are owed to the customer and are not a preference.
	 */
	@GetMapping("/portal/{token}/preferences")
	String preferences(@PathVariable String token, Model model) {
		CustomerProfile customer = customer(token);
		model.addAttribute("token", token);
		model.addAttribute("customer", customer);
		model.addAttribute("choices",
				Arrays.stream(Channel.values())
					.filter(customer::reachableOn)
					.map((channel) -> new MarketingChoice(channel, customer.consents(channel, Purpose.MARKETING)))
					.toList());
		return "portal/preferences";
	}

	@PostMapping("/portal/{token}/preferences")
	String savePreferences(@PathVariable String token,
			@RequestParam(name = "marketing", required = false) @Nullable List<Channel> marketing) {
		CustomerProfile customer = customer(token);
		Set<Channel> wanted = EnumSet.noneOf(Channel.class);
		if (marketing != null) {
			wanted.addAll(marketing);
		}
		for (Channel channel : Channel.values()) {
			boolean granted = wanted.contains(channel);
			// only channels the page offered, and only real changes, reach the consent
			// history
			if (customer.reachableOn(channel) && customer.consents(channel, Purpose.MARKETING) != granted) {
				// the customer changed it themselves, through their signed portal link
				customers.recordConsents(customer.id(),
						List.of(new ConsentChange(channel, Purpose.MARKETING, granted, "preference centre")),
						"customer");
			}
		}
		return "redirect:/portal/" + token + "/preferences?saved";
	}

	record MarketingChoice(Channel channel, boolean granted) {

	}

	/**
	 * Printed documents and forwarded messages carry portal addresses without a token:
	 * the customer gets a page that says what to do, not an error body.
	 */
	@GetMapping({ "/portal", "/portal/**" })
	@ResponseStatus(HttpStatus.NOT_FOUND)
	String withoutToken() {
		return "portal/not-found";
	}

	@ExceptionHandler
	@ResponseStatus(HttpStatus.NOT_FOUND)
	String notFound(PageNotFoundException ex) {
		return "portal/not-found";
	}

	private CustomerProfile customer(String token) {
		return links.verify(token)
			.flatMap(customers::findById)
			.orElseThrow(() -> new PageNotFoundException("This link is not valid."));
	}

	private static PageNotFoundException noDocument() {
		return new PageNotFoundException("This document is not in your inbox.");
	}

}
