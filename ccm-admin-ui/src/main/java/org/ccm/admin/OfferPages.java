package org.ccm.admin;

import java.security.Principal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.ccm.core.ConcurrentEditException;
import org.ccm.core.Segment;
import org.ccm.core.Segments;
import org.ccm.templates.Actor;
import org.ccm.templates.GovernanceException;
import org.ccm.templates.InvalidTemplateContentException;
import org.ccm.templates.Offer;
import org.ccm.templates.OfferChange;
import org.ccm.templates.OfferState;
import org.ccm.templates.Offers;
import org.ccm.templates.TemplateAuthoring;
import org.ccm.templates.TemplateDefinition;
import org.ccm.templates.VersionChange;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The offers of the studio: the list, an offer's page with its review and history, and
 * the editor. Marketers write and submit offers, approvers approve or reject them (never
 * their own work), administrators do both, everyone else reads. The pages check the roles
 * before acting; the offers service enforces the same rules whatever a page did. A save
 * is all or nothing and never overwrites a change made since the form was opened.
 */
@Controller
class OfferPages {

	private static final String OUTDATED = "This offer was changed by someone else after you opened it, so nothing "
			+ "was saved. Copy what you wrote, reload the page and make your changes again.";

	private final Offers offers;

	private final Segments segments;

	private final TemplateAuthoring authoring;

	OfferPages(Offers offers, Segments segments, TemplateAuthoring authoring) {
		this.offers = offers;
		this.segments = segments;
		this.authoring = authoring;
	}

	/**
	 * What the signed-in staff member may do with offers.
	 *
	 * @param marketer writes, submits, retires and discards offers (MARKETER, ADMIN)
	 * @param approver approves, rejects and retires offers (APPROVER, ADMIN)
	 */
	record Staff(String name, boolean marketer, boolean approver) {

		static Staff of(@Nullable Principal principal, HttpServletRequest request) {
			boolean admin = request.isUserInRole("ADMIN");
			return new Staff((principal != null) ? principal.getName() : "anonymous",
					admin || request.isUserInRole(Actor.MARKETER), admin || request.isUserInRole(Actor.APPROVER));
		}

		/**
		 * The staff member as the offers service records them: every step carries their
		 * name.
		 */
		Actor actor() {
			Set<String> roles = new HashSet<>();
			if (this.marketer) {
				roles.add(Actor.MARKETER);
			}
			if (this.approver) {
				roles.add(Actor.APPROVER);
			}
			return new Actor(this.name, roles);
		}

		Staff requireMarketer() {
			if (!this.marketer) {
				throw new NotAllowedException("Only marketers and administrators write, submit and discard offers.");
			}
			return this;
		}

		Staff requireApprover() {
			if (!this.approver) {
				throw new NotAllowedException("Only approvers and administrators approve or reject offers.");
			}
			return this;
		}

		void describe(Model model) {
			model.addAttribute("marketer", this.marketer);
			model.addAttribute("approver", this.approver);
		}

	}

	@GetMapping("/admin/offers")
	String list(@Nullable Principal principal, HttpServletRequest request, Model model) {
		model.addAttribute("offers", this.offers.all());
		model.addAttribute("segmentNames", segmentNames());
		Staff.of(principal, request).describe(model);
		return "admin/offers";
	}

	@GetMapping("/admin/offers/new")
	String create(@Nullable Principal principal, HttpServletRequest request, Model model) {
		Staff me = Staff.of(principal, request).requireMarketer();
		return editor(model, OfferForm.empty(), null, me);
	}

	@PostMapping("/admin/offers/new")
	String created(@RequestParam MultiValueMap<String, String> params, @Nullable Principal principal,
			HttpServletRequest request, HttpServletResponse response, Model model, RedirectAttributes redirect) {
		Staff me = Staff.of(principal, request).requireMarketer();
		OfferForm form = OfferForm.posted(null, params);
		Offer saved = save(form, null, me);
		if (saved == null) {
			response.setStatus(422);
			return editor(model, form, null, me);
		}
		return afterSave(saved, params, me, redirect);
	}

	@GetMapping("/admin/offers/{key}")
	String offer(@PathVariable String key, @Nullable Principal principal, HttpServletRequest request, Model model) {
		return page(model, offer(key), Staff.of(principal, request), null);
	}

	@GetMapping("/admin/offers/{key}/edit")
	String edit(@PathVariable String key, @Nullable Principal principal, HttpServletRequest request, Model model,
			RedirectAttributes redirect) {
		Staff me = Staff.of(principal, request).requireMarketer();
		Offer offer = offer(key);
		if (offer.state() == OfferState.RETIRED) {
			redirect.addFlashAttribute("problem", "A retired offer does not change any more.");
			return "redirect:/admin/offers/" + key;
		}
		return editor(model, OfferForm.of(offer), offer, me);
	}

	@PostMapping("/admin/offers/{key}/edit")
	String save(@PathVariable String key, @RequestParam MultiValueMap<String, String> params,
			@Nullable Principal principal, HttpServletRequest request, HttpServletResponse response, Model model,
			RedirectAttributes redirect) {
		Staff me = Staff.of(principal, request).requireMarketer();
		Offer stored = offer(key);
		OfferForm form = OfferForm.posted(key, params);
		Offer saved = save(form, stored, me);
		if (saved == null) {
			response.setStatus(422);
			return editor(model, form, stored, me);
		}
		return afterSave(saved, params, me, redirect);
	}

	/**
	 * The offer's text rendered for a sample customer, as the editor's preview shows it
	 * while the marketer types.
	 */
	@PostMapping("/admin/offers/preview")
	String preview(@RequestParam MultiValueMap<String, String> params, @Nullable Principal principal,
			HttpServletRequest request, Model model) {
		Staff.of(principal, request).requireMarketer();
		OfferForm form = OfferForm.posted(null, params);
		String locale = Optional.ofNullable(params.getFirst("previewLocale"))
			.filter((l) -> !l.isBlank())
			.orElse(OfferForm.DEFAULT);
		model.addAttribute("preview", preview(form, locale));
		model.addAttribute("previewLocale", locale);
		return "admin/offer-edit :: preview";
	}

	@PostMapping("/admin/offers/{key}/submit")
	String submit(@PathVariable String key, @RequestParam(required = false) @Nullable String comment,
			@RequestParam(required = false) @Nullable Long version, @Nullable Principal principal,
			HttpServletRequest request, RedirectAttributes redirect) {
		Staff me = Staff.of(principal, request).requireMarketer();
		offer(key);
		return step(key, redirect, "The offer is waiting for review.",
				() -> this.offers.submit(key, version, me.actor(), comment));
	}

	@PostMapping("/admin/offers/{key}/approve")
	String approve(@PathVariable String key, @RequestParam(required = false) @Nullable String comment,
			@RequestParam(required = false) @Nullable Long version, @Nullable Principal principal,
			HttpServletRequest request, RedirectAttributes redirect) {
		Staff me = Staff.of(principal, request).requireApprover();
		if (offer(key).state() != OfferState.IN_REVIEW) {
			redirect.addFlashAttribute("problem", "Only an offer submitted for review is approved here.");
			return "redirect:/admin/offers/" + key;
		}
		return step(key, redirect, "The offer is approved: documents show it within its dates.",
				() -> this.offers.approve(key, version, me.actor(), comment));
	}

	@PostMapping("/admin/offers/{key}/reject")
	String reject(@PathVariable String key, @RequestParam(required = false) @Nullable String comment,
			@RequestParam(required = false) @Nullable Long version, @Nullable Principal principal,
			HttpServletRequest request, HttpServletResponse response, Model model, RedirectAttributes redirect) {
		Staff me = Staff.of(principal, request).requireApprover();
		Offer offer = offer(key);
		if (comment == null || comment.isBlank()) {
			response.setStatus(422);
			return page(model, offer, me, "Say what needs to change, so the author can change it.");
		}
		return step(key, redirect, "The offer went back to its author with your comment.",
				() -> this.offers.reject(key, version, me.actor(), comment));
	}

	@PostMapping("/admin/offers/{key}/retire")
	String retire(@PathVariable String key, @RequestParam(required = false) @Nullable String comment,
			@RequestParam(required = false) @Nullable Long version, @Nullable Principal principal,
			HttpServletRequest request, RedirectAttributes redirect) {
		Staff me = Staff.of(principal, request);
		if (!me.marketer() && !me.approver()) {
			throw new NotAllowedException("Only marketers, approvers and administrators retire offers.");
		}
		offer(key);
		return step(key, redirect, "The offer is retired: documents no longer show it.",
				() -> this.offers.retire(key, version, me.actor(), comment));
	}

	@PostMapping("/admin/offers/{key}/discard")
	String discard(@PathVariable String key, @Nullable Principal principal, HttpServletRequest request,
			RedirectAttributes redirect) {
		Staff me = Staff.of(principal, request).requireMarketer();
		Offer offer = offer(key);
		try {
			this.offers.discard(key, me.actor());
			redirect.addFlashAttribute("notice", "The offer “" + offer.name() + "” was discarded.");
			return "redirect:/admin/offers";
		}
		catch (GovernanceException ex) {
			redirect.addFlashAttribute("problem", TemplatePages.message(ex));
			return "redirect:/admin/offers/" + key;
		}
	}

	private String step(String key, RedirectAttributes redirect, String notice, Runnable step) {
		try {
			step.run();
			redirect.addFlashAttribute("notice", notice);
		}
		catch (ConcurrentEditException ex) {
			redirect.addFlashAttribute("problem",
					"This offer changed after you opened it, so nothing was done. Read it again, then decide.");
		}
		catch (GovernanceException | InvalidTemplateContentException ex) {
			redirect.addFlashAttribute("problem", TemplatePages.message(ex));
		}
		return "redirect:/admin/offers/" + key;
	}

	private String afterSave(Offer saved, MultiValueMap<String, String> params, Staff me, RedirectAttributes redirect) {
		if ("submit".equals(params.getFirst("action"))) {
			try {
				this.offers.submit(saved.key(), saved.version(), me.actor(), blank(params.getFirst("comment")));
				redirect.addFlashAttribute("notice", "The offer is saved and waiting for review.");
			}
			catch (GovernanceException | ConcurrentEditException ex) {
				redirect.addFlashAttribute("problem", "Saved, but not submitted: " + ex.getMessage());
			}
			return "redirect:/admin/offers/" + saved.key();
		}
		redirect.addFlashAttribute("notice", "Saved at " + AdminPages.Times.UTC.at(saved.updatedAt())
				+ ((saved.state() == OfferState.DRAFT) ? ". Submit it for review when it is ready." : "."));
		return "redirect:/admin/offers/" + saved.key();
	}

	/**
	 * Saves the form, all or nothing: the saved offer, or null with the form's problems.
	 */
	private @Nullable Offer save(OfferForm form, @Nullable Offer stored, Staff me) {
		boolean creating = stored == null;
		Set<String> templateKeys = this.authoring.templates()
			.stream()
			.map(TemplateDefinition::key)
			.collect(Collectors.toSet());
		form.check(creating, segmentNames().keySet(), templateKeys, new Placeholders(Placeholders.CUSTOMER_FIELDS),
				this.offers::sanitiserRemovals);
		if (creating && form.problems().get("key") == null && this.offers.find(form.key()).isPresent()) {
			form.problem("key", "An offer with the key “" + form.key() + "” exists already: choose another key.");
		}
		if (!form.problems().isEmpty()) {
			return null;
		}
		try {
			return this.offers.save(form.offer(creating || stored.active()), me.actor());
		}
		catch (InvalidTemplateContentException ex) {
			form.refused(ex.problems());
		}
		catch (ConcurrentEditException ex) {
			form.problem("offer", OUTDATED);
		}
		catch (GovernanceException ex) {
			form.problem("offer", TemplatePages.message(ex));
		}
		return null;
	}

	private String editor(Model model, OfferForm form, @Nullable Offer stored, Staff me) {
		model.addAttribute("form", form);
		model.addAttribute("stored", stored);
		me.describe(model);
		model.addAttribute("segments", this.segments.all());
		model.addAttribute("templates", this.authoring.templates());
		model.addAttribute("placeholders", new Placeholders(Placeholders.CUSTOMER_FIELDS));
		model.addAttribute("preview", preview(form, OfferForm.DEFAULT));
		model.addAttribute("previewLocale", OfferForm.DEFAULT);
		return "admin/offer-edit";
	}

	private String page(Model model, Offer offer, Staff me, @Nullable String commentError) {
		List<OfferChange> history = this.offers.history(offer.key());
		Optional<Offer> approved = this.offers.lastApproved(offer.key());
		String submitter = null;
		for (OfferChange change : history) {
			if (change.action() == OfferChange.Action.SUBMITTED) {
				submitter = change.actor();
			}
		}
		boolean ownWork = me.name().equals(offer.updatedBy())
				|| (offer.state() == OfferState.IN_REVIEW && me.name().equals(submitter));
		model.addAttribute("offer", offer);
		me.describe(model);
		model.addAttribute("ownWork", ownWork);
		model.addAttribute("history", history);
		model.addAttribute("everApproved", approved.isPresent());
		model.addAttribute("approved", approved.orElse(null));
		model.addAttribute("textChanges", approved.map((before) -> textChanges(before, offer)).orElse(List.of()));
		model.addAttribute("settingChanges", approved.map((before) -> settingChanges(before, offer)).orElse(List.of()));
		model.addAttribute("segmentNames", segmentNames());
		model.addAttribute("commentError", commentError);
		Map<String, String> previews = new LinkedHashMap<>();
		for (String locale : OfferForm.of(offer).locales()) {
			previews.put(locale, preview(OfferForm.of(offer), locale));
		}
		model.addAttribute("previews", previews);
		return "admin/offer";
	}

	private String preview(OfferForm form, String locale) {
		try {
			Locale tag = locale.equals(OfferForm.DEFAULT) ? Locale.UK : Locale.forLanguageTag(locale);
			return this.offers.preview(Map.of(locale, form.text(locale)), tag);
		}
		catch (InvalidTemplateContentException ex) {
			return "";
		}
	}

	/**
	 * The texts that changed since the approved version, word by word.
	 */
	static List<BlockDiff> textChanges(Offer before, Offer after) {
		Set<String> locales = new TreeSet<>(before.content().keySet());
		locales.addAll(after.content().keySet());
		List<BlockDiff> changes = new ArrayList<>();
		for (String locale : locales) {
			String a = before.content().get(locale);
			String b = after.content().get(locale);
			if (Objects.equals(a, b)) {
				continue;
			}
			VersionChange.Kind kind = (a == null) ? VersionChange.Kind.ADDED
					: (b == null) ? VersionChange.Kind.REMOVED : VersionChange.Kind.CHANGED;
			BlockDiff diff = BlockDiff.of(new VersionChange("blocks.offer." + locale, kind, a, b));
			changes.add(new BlockDiff(diff.path(), OfferForm.contentLabel(locale), kind, diff.lines(),
					diff.formattingOnly()));
		}
		return changes;
	}

	/**
	 * The settings that changed since the approved version, one by one, as the page shows
	 * them.
	 */
	List<VersionChange> settingChanges(Offer before, Offer after) {
		Map<String, String> names = segmentNames();
		List<VersionChange> changes = new ArrayList<>();
		setting(changes, "Name", before.name(), after.name());
		setting(changes, "Segment", segment(before.segment(), names), segment(after.segment(), names));
		setting(changes, "Priority", String.valueOf(before.priority()), String.valueOf(after.priority()));
		setting(changes, "Impression cap", before.maxImpressions() + " per customer",
				after.maxImpressions() + " per customer");
		setting(changes, "Templates", templates(before.templates()), templates(after.templates()));
		setting(changes, "Start", date(before.startsAt()), date(after.startsAt()));
		setting(changes, "End", date(before.endsAt()), date(after.endsAt()));
		return changes;
	}

	private static void setting(List<VersionChange> changes, String label, String before, String after) {
		if (!before.equals(after)) {
			changes.add(new VersionChange(label, VersionChange.Kind.CHANGED, before, after));
		}
	}

	private static String segment(@Nullable String key, Map<String, String> names) {
		return (key == null) ? "Every customer" : names.getOrDefault(key, key) + " (" + key + ")";
	}

	private static String templates(List<String> templates) {
		return templates.isEmpty() ? "Every template" : String.join(", ", new TreeSet<>(templates));
	}

	private static String date(java.time.@Nullable Instant instant) {
		return (instant == null) ? "No limit" : AdminPages.Times.UTC.at(instant);
	}

	private Map<String, String> segmentNames() {
		Map<String, String> names = new LinkedHashMap<>();
		for (Segment segment : this.segments.all()) {
			names.put(segment.key(), segment.name());
		}
		return names;
	}

	private Offer offer(String key) {
		return this.offers.find(key).orElseThrow(() -> new PageNotFoundException("There is no offer “" + key + "”."));
	}

	private static @Nullable String blank(@Nullable String text) {
		return (text == null || text.isBlank()) ? null : text.strip();
	}

}
