package org.ccm.admin;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.ccm.core.Channel;
import org.ccm.core.ConsentChange;
import org.ccm.core.CustomerProfile;
import org.ccm.core.Customers;
import org.ccm.core.Purpose;
import org.ccm.core.QuietHours;
import org.ccm.core.Topic;
import org.ccm.core.Topics;
import org.ccm.delivery.PortalDocument;
import org.ccm.delivery.PortalInbox;
import org.ccm.templates.TemplateAuthoring;
import org.ccm.tracking.PortalLinks;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.jspecify.annotations.Nullable;
import org.springframework.http.CacheControl;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.util.UriUtils;

/**
 * The customer portal: the inbox of documents delivered on the portal channel, each
 * viewable and downloadable as PDF, and the preference centre, in the customer's
 * language. The signed link in the URL identifies the customer; there is no login. Staff
 * see the same pages read-only from the customer page.
 */
@Controller
class PortalPages {

	private final PortalLinks links;

	private final PortalInbox inbox;

	private final Customers customers;

	private final Topics topics;

	private final TemplateAuthoring templates;

	PortalPages(PortalLinks links, PortalInbox inbox, Customers customers, Topics topics, TemplateAuthoring templates) {
		this.links = links;
		this.inbox = inbox;
		this.customers = customers;
		this.topics = topics;
		this.templates = templates;
	}

	@GetMapping("/portal/{token}")
	String inbox(@PathVariable String token, @RequestParam(name = "show", defaultValue = "inbox") String show,
			HttpServletRequest request, Model model) {
		model.addAttribute("show", show);
		return inboxPage(customer(token), "/portal/" + token, false, request, model);
	}

	/** The customer marks a document read, or unread to come back to it. */
	@PostMapping("/portal/{token}/documents/{id}/read")
	String markRead(@PathVariable String token, @PathVariable UUID id, @RequestParam boolean read,
			@RequestParam(name = "show", defaultValue = "inbox") String show) {
		if (!inbox.markRead(customer(token).id(), id, read)) {
			throw noDocument();
		}
		return "redirect:/portal/" + token + "?show=" + filter(show);
	}

	/** The customer puts a document away, or back into the inbox. */
	@PostMapping("/portal/{token}/documents/{id}/archive")
	String archive(@PathVariable String token, @PathVariable UUID id, @RequestParam boolean archived,
			@RequestParam(name = "show", defaultValue = "inbox") String show) {
		if (!inbox.archive(customer(token).id(), id, archived)) {
			throw noDocument();
		}
		return "redirect:/portal/" + token + "?show=" + filter(show);
	}

	private static String filter(String show) {
		return switch (show) {
			case "unread", "archived" -> show;
			default -> "inbox";
		};
	}

	/**
	 * The customer's portal as staff see it from the customer page: the same pages,
	 * read-only. Nothing here changes what the customer sees (documents stay unread) and
	 * every form is left out; the application's audit log records each view as the staff
	 * member's.
	 */
	@GetMapping("/admin/customers/{externalId}/portal")
	String inboxAsCustomer(@PathVariable String externalId,
			@RequestParam(name = "show", defaultValue = "inbox") String show, HttpServletRequest request, Model model) {
		model.addAttribute("show", show);
		return inboxPage(viewed(externalId, request), asCustomer(externalId), true, request, model);
	}

	private String inboxPage(CustomerProfile customer, String base, boolean viewAs, HttpServletRequest request,
			Model model) {
		common(customer, base, viewAs, request, model);
		List<PortalDocument> documents = inbox.documents(customer.id());
		String show = filter(String.valueOf(model.getAttribute("show")));
		model.addAttribute("show", show);
		model.addAttribute("documents", documents.stream().filter((document) -> switch (show) {
			case "unread" -> !document.read() && !document.archived();
			case "archived" -> document.archived();
			default -> !document.archived();
		}).toList());
		model.addAttribute("unread",
				documents.stream().filter((document) -> !document.read() && !document.archived()).count());
		return "portal/inbox";
	}

	private void common(CustomerProfile customer, String base, boolean viewAs, HttpServletRequest request,
			Model model) {
		// the pages speak the customer's language, whatever the browser says
		PortalLocales.use(request, customer.locale());
		model.addAttribute("base", base);
		model.addAttribute("viewAs", viewAs);
		model.addAttribute("customer", customer);
	}

	private static String asCustomer(String externalId) {
		return "/admin/customers/" + UriUtils.encodePathSegment(externalId, StandardCharsets.UTF_8) + "/portal";
	}

	private CustomerProfile viewed(String externalId, HttpServletRequest request) {
		if (!StaffRoles.customerData(request)) {
			throw new NotAllowedException("Only administrators, marketers and operators see customers' portals.");
		}
		return customers.findByExternalId(externalId)
			.orElseThrow(() -> new PageNotFoundException("There is no customer '" + externalId + "'."));
	}

	/**
	 * Staff viewing a portal change nothing in it: the customer's choices are the
	 * customer's own.
	 */
	@PostMapping({ "/admin/customers/{externalId}/portal", "/admin/customers/{externalId}/portal/**" })
	String refuseChangeAsCustomer() {
		throw new NotAllowedException(
				"Viewing the portal as the customer is read-only: only the customer changes their preferences and inbox.");
	}

	@GetMapping("/portal/{token}/documents/{id}")
	String document(@PathVariable String token, @PathVariable UUID id, HttpServletRequest request, Model model) {
		CustomerProfile customer = customer(token);
		String html = inbox.html(customer.id(), id).orElseThrow(PortalPages::noDocument);
		return documentPage(customer, "/portal/" + token, false, id, html, request, model);
	}

	@GetMapping("/admin/customers/{externalId}/portal/documents/{id}")
	String documentAsCustomer(@PathVariable String externalId, @PathVariable UUID id, HttpServletRequest request,
			Model model) {
		CustomerProfile customer = viewed(externalId, request);
		String html = inbox.peek(customer.id(), id).orElseThrow(PortalPages::noDocument);
		return documentPage(customer, asCustomer(externalId), true, id, html, request, model);
	}

	private String documentPage(CustomerProfile customer, String base, boolean viewAs, UUID id, String html,
			HttpServletRequest request, Model model) {
		common(customer, base, viewAs, request, model);
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
		return pdf(customer(token), id);
	}

	@GetMapping("/admin/customers/{externalId}/portal/documents/{id}.pdf")
	ResponseEntity<byte[]> pdfAsCustomer(@PathVariable String externalId, @PathVariable UUID id,
			HttpServletRequest request) {
		return pdf(viewed(externalId, request), id);
	}

	private ResponseEntity<byte[]> pdf(CustomerProfile customer, UUID id) {
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
	String preferences(@PathVariable String token, HttpServletRequest request, Model model) {
		return preferencesPage(customer(token), "/portal/" + token, false, request, model);
	}

	@GetMapping("/admin/customers/{externalId}/portal/preferences")
	String preferencesAsCustomer(@PathVariable String externalId, HttpServletRequest request, Model model) {
		return preferencesPage(viewed(externalId, request), asCustomer(externalId), true, request, model);
	}

	/**
	 * The preference grid: a row per purpose, a column per channel. Transactional
	 * documents are owed to the customer, so their row is shown checked and cannot be
	 * changed; marketing needs the customer's consent per channel, offered on the
	 * channels the customer can be reached on. Below it a row per topic that a published
	 * template names; mandatory topics are shown checked and cannot be changed.
	 */
	private String preferencesPage(CustomerProfile customer, String base, boolean viewAs, HttpServletRequest request,
			Model model) {
		common(customer, base, viewAs, request, model);
		model.addAttribute("channels", Channel.values());
		model.addAttribute("choices",
				Arrays.stream(Channel.values())
					.map((channel) -> new MarketingChoice(channel, customer.reachableOn(channel),
							customer.consents(channel, Purpose.MARKETING)))
					.toList());
		List<Topic> offered = offeredTopics();
		model.addAttribute("topics",
				offered.stream()
					.map((topic) -> new TopicRow(topic.key(), topic.label(customer.locale()), topic.mandatory()))
					.toList());
		if (!model.containsAttribute("form")) {
			model.addAttribute("form", PreferenceForm.of(customer, offered.stream().map(Topic::key).toList(),
					topics.optedOut(customer.id())));
			model.addAttribute("problems", Map.of());
		}
		model.addAttribute("positions", List.of(1, 2, 3, 4));
		return "portal/preferences";
	}

	@PostMapping("/portal/{token}/preferences")
	String savePreferences(@PathVariable String token, @RequestParam MultiValueMap<String, String> params,
			HttpServletRequest request, HttpServletResponse response, Model model) {
		CustomerProfile customer = customer(token);
		PreferenceForm form = PreferenceForm.of(params);
		Map<String, String> problems = new LinkedHashMap<>();
		List<Channel> order = form.order(problems);
		QuietHours quiet = form.quietHours(problems);
		Instant paused = form.pausedUntil(customer.timeZone(), Instant.now(), problems);
		if (!problems.isEmpty()) {
			response.setStatus(422);
			model.addAttribute("problems", problems);
			model.addAttribute("form", form);
			return preferencesPage(customer, "/portal/" + token, false, request, model);
		}
		List<ConsentChange> consents = new ArrayList<>();
		for (Channel channel : Channel.values()) {
			boolean granted = form.marketing().contains(channel);
			// only channels the page offered, and only real changes, reach the consent
			// history
			if (customer.reachableOn(channel) && customer.consents(channel, Purpose.MARKETING) != granted) {
				consents.add(new ConsentChange(channel, Purpose.MARKETING, granted, "preference centre"));
			}
		}
		Map<String, Boolean> topicOptOuts = new LinkedHashMap<>();
		for (Topic topic : offeredTopics()) {
			// a mandatory topic is received whatever the form says
			if (!topic.mandatory()) {
				topicOptOuts.put(topic.key(), !form.topics().contains(topic.key()));
			}
		}
		// the customer changed them themselves, through their signed portal link
		customers.changePreferences(customer.id(), order, quiet, paused, consents, topicOptOuts, "customer");
		return "redirect:/portal/" + token + "/preferences?saved";
	}

	record MarketingChoice(Channel channel, boolean reachable, boolean granted) {

	}

	/** A topic as the customer reads it, in their language. */
	record TopicRow(String key, String label, boolean mandatory) {

	}

	/** The topics some published template names, in the configured order. */
	private List<Topic> offeredTopics() {
		Set<String> named = templates.publishedTopics();
		return topics.all().stream().filter((topic) -> named.contains(topic.key())).toList();
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
