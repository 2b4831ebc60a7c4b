package org.ccm.admin;

import java.security.Principal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.ccm.templates.DataViolation;
import org.ccm.templates.DraftRequest;
import org.ccm.templates.GovernanceException;
import org.ccm.templates.InvalidTemplateContentException;
import org.ccm.templates.ProofSets;
import org.ccm.core.Topic;
import org.ccm.core.Topics;
import org.ccm.templates.TemplateAuthoring;
import org.ccm.templates.TemplateDefinition;
import org.ccm.templates.TemplateVersion;
import org.ccm.templates.VersionChange;
import org.ccm.templates.VersionState;
import org.ccm.templates.VersionTransition;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The templates list, a template with its versions and their history, a version with its
 * differences from the published one, and the review steps: new draft from a version,
 * submit, approve, reject, publish, retire. Each step is recorded by the authoring
 * service under the signed-in staff member's name.
 */
@Controller
class TemplatePages {

	private final TemplateAuthoring authoring;

	private final ProofSets proofSets;

	private final JsonMapper json;

	private final Topics topics;

	TemplatePages(TemplateAuthoring authoring, ProofSets proofSets, Topics topics, JsonMapper json) {
		this.topics = topics;
		this.authoring = authoring;
		this.proofSets = proofSets;
		this.json = json;
	}

	/**
	 * A version as the pages show it, with its plain-words state and its history.
	 *
	 * @param changesRequested a draft a reviewer sent back
	 */
	public record VersionRow(TemplateVersion version, List<VersionTransition> history, boolean changesRequested) {

		public String stateLabel() {
			return this.changesRequested ? "Changes requested" : label(this.version.state());
		}

		/**
		 * The history in plain words: "In review → Draft", "Created as Draft".
		 */
		public List<Step> steps() {
			return this.history.stream()
				.map((step) -> new Step(step,
						(step.from() == null) ? "Created as " + label(step.to()).toLowerCase()
								: label(step.from()) + " → " + label(step.to()).toLowerCase()))
				.toList();
		}

		public String stateClass() {
			return "state-" + (this.changesRequested ? "changes" : this.version.state().name().toLowerCase());
		}

		public Instant lastChange() {
			Instant last = this.version.updatedAt();
			for (VersionTransition step : this.history) {
				if (step.at().isAfter(last)) {
					last = step.at();
				}
			}
			return last;
		}

		public String lastChangeBy() {
			if (this.history.isEmpty()) {
				return this.version.author();
			}
			VersionTransition step = this.history.get(this.history.size() - 1);
			// a draft's edits come after its creation step and are the author's
			return (this.version.updatedAt().isAfter(step.at())) ? this.version.author() : step.actor();
		}

	}

	public record Step(VersionTransition transition, String change) {
	}

	static String label(VersionState state) {
		return switch (state) {
			case DRAFT -> "Draft";
			case IN_REVIEW -> "In review";
			case APPROVED -> "Approved";
			case PUBLISHED -> "Published";
			case RETIRED -> "Retired";
		};
	}

	public record TemplateRow(TemplateDefinition template, List<VersionRow> versions) {

		public @Nullable VersionRow latestChange() {
			return this.versions.stream().max(Comparator.comparing(VersionRow::lastChange)).orElse(null);
		}

	}

	@GetMapping("/admin/templates")
	String list(Model model) {
		List<TemplateRow> rows = new ArrayList<>();
		for (TemplateDefinition template : this.authoring.templates()) {
			rows.add(new TemplateRow(template, rows(template.key())));
		}
		model.addAttribute("templates", rows);
		return "admin/templates";
	}

	@GetMapping("/admin/templates/{key}")
	String template(@PathVariable String key, @Nullable Principal principal, HttpServletRequest request, Model model) {
		return templatePage(key, StaffMember.of(principal, request), model);
	}

	/**
	 * Adds a proof set; a set with problems is shown again with each problem by its
	 * field, and nothing is stored.
	 */
	@PostMapping("/admin/templates/{key}/proof-sets")
	String addProofSet(@PathVariable String key, @RequestParam(name = "name", defaultValue = "") String name,
			@RequestParam(name = "customer", defaultValue = "") String customer,
			@RequestParam(name = "data", defaultValue = "") String data, @Nullable Principal principal,
			HttpServletRequest request, HttpServletResponse response, Model model, RedirectAttributes redirect) {
		StaffMember me = StaffMember.of(principal, request).requireAuthor();
		if (!customer.isBlank() && !StaffRoles.customerData(request)) {
			// the form offers no customer field to them: a proof set naming a customer
			// would show that customer's data to everyone previewing with it
			throw new NotAllowedException("Only marketers, operators and administrators name a real customer in a "
					+ "proof set. Give sample data instead.");
		}
		Map<String, String> problems = new LinkedHashMap<>();
		Map<String, Object> values = null;
		if (!data.isBlank()) {
			try {
				values = this.json.readValue(data, MAP);
			}
			catch (JacksonException ex) {
				problems.put("proof-data", "Data is not a JSON object: " + ex.getOriginalMessage());
			}
		}
		if (problems.isEmpty()) {
			try {
				this.proofSets.add(key, name, customer, values, me.actor());
				redirect.addFlashAttribute("notice", "The proof set “" + name.strip() + "” is saved.");
				return "redirect:/admin/templates/" + key + "#proof-sets-heading";
			}
			catch (InvalidTemplateContentException ex) {
				for (DataViolation violation : ex.problems()) {
					String field = violation.field();
					String id = field.equals("name") ? "proof-name"
							: field.equals("customer") ? "proof-customer" : "proof-data";
					String label = field.equals("name") ? "Name"
							: field.equals("customer") ? "Customer ID" : "Data " + field.replaceFirst("^data/?", "");
					problems.merge(id, label.strip() + " " + violation.message() + ".", (a, b) -> a + " " + b);
				}
			}
			catch (GovernanceException ex) {
				problems.put("proof-name", TemplatePages.message(ex));
			}
		}
		response.setStatus(422);
		model.addAttribute("proofProblems", problems);
		model.addAttribute("proofForm", Map.of("name", name, "customer", customer, "data", data));
		return templatePage(key, me, model);
	}

	@PostMapping("/admin/templates/{key}/proof-sets/delete")
	String removeProofSet(@PathVariable String key, @RequestParam String name, @Nullable Principal principal,
			HttpServletRequest request, RedirectAttributes redirect) {
		StaffMember.of(principal, request).requireAuthor();
		if (this.proofSets.remove(key, name)) {
			redirect.addFlashAttribute("notice", "The proof set “" + name + "” is deleted.");
		}
		return "redirect:/admin/templates/" + key + "#proof-sets-heading";
	}

	private String templatePage(String key, StaffMember me, Model model) {
		TemplateDefinition template = this.authoring.template(key);
		model.addAttribute("template", template);
		// staff pages speak English; the portal shows the customer's language
		Optional<Topic> topic = Optional.ofNullable(template.topic()).flatMap(this.topics::find);
		model.addAttribute("topic", topic.orElse(null));
		model.addAttribute("topicLabel", topic.map((known) -> known.label(Locale.ENGLISH)).orElse(template.topic()));
		List<VersionRow> versions = new ArrayList<>(rows(key));
		Collections.reverse(versions);
		model.addAttribute("versions", versions);
		model.addAttribute("me", me);
		model.addAttribute("proofSets", this.proofSets.of(key));
		if (!model.containsAttribute("proofProblems")) {
			model.addAttribute("proofProblems", Map.of());
			model.addAttribute("proofForm", Map.of("name", "", "customer", "", "data", ""));
		}
		return "admin/template";
	}

	@GetMapping("/admin/templates/{key}/versions/{version}")
	String version(@PathVariable String key, @PathVariable int version, @Nullable Principal principal,
			HttpServletRequest request, Model model) {
		TemplateDefinition template = this.authoring.template(key);
		VersionRow row = row(this.authoring.version(key, version));
		Optional<TemplateVersion> published = this.authoring.versions(key)
			.stream()
			.filter((v) -> v.state() == VersionState.PUBLISHED)
			.findFirst();
		model.addAttribute("template", template);
		model.addAttribute("row", row);
		model.addAttribute("me", StaffMember.of(principal, request));
		model.addAttribute("published", published.orElse(null));
		if (published.isPresent() && published.get().version() != version) {
			List<VersionChange> changes = this.authoring.diff(key, published.get().version(), version);
			model.addAttribute("changes", changes.stream().map(BlockDiff::of).toList());
		}
		model.addAttribute("locales", EditorForm.locales(row.version().content()));
		model.addAttribute("preview",
				TemplatePreviewPages.Options.initial(template, version, EditorForm.DEFAULT, this.proofSets.of(key)));
		return "admin/template-version";
	}

	@PostMapping("/admin/templates/{key}/versions/{version}/copy")
	String newDraft(@PathVariable String key, @PathVariable int version, @Nullable Principal principal,
			HttpServletRequest request, RedirectAttributes redirect) {
		StaffMember me = StaffMember.of(principal, request).requireAuthor();
		TemplateVersion source = this.authoring.version(key, version);
		try {
			TemplateVersion draft = this.authoring.createDraft(key,
					new DraftRequest(source.content(), source.dataSchema(), source.sampleData()), me.actor());
			redirect.addFlashAttribute("notice",
					"Version " + draft.version() + " is a new draft based on version " + version + ".");
			return "redirect:/admin/templates/" + key + "/versions/" + draft.version() + "/edit";
		}
		catch (GovernanceException | InvalidTemplateContentException ex) {
			redirect.addFlashAttribute("problem", "No draft was made: " + message(ex));
			return "redirect:/admin/templates/" + key;
		}
	}

	@PostMapping("/admin/templates/{key}/versions/{version}/submit")
	String submit(@PathVariable String key, @PathVariable int version,
			@RequestParam(name = "comment", required = false) @Nullable String comment, @Nullable Principal principal,
			HttpServletRequest request, RedirectAttributes redirect) {
		StaffMember me = StaffMember.of(principal, request).requireAuthor();
		return step(key, version, redirect, "Version " + version + " is waiting for review.",
				() -> this.authoring.submit(key, version, me.actor(), blankToNull(comment)));
	}

	@PostMapping("/admin/templates/{key}/versions/{version}/approve")
	String approve(@PathVariable String key, @PathVariable int version,
			@RequestParam(name = "comment", required = false) @Nullable String comment, @Nullable Principal principal,
			HttpServletRequest request, RedirectAttributes redirect) {
		StaffMember me = StaffMember.of(principal, request).requireApprover();
		return step(key, version, redirect, "Version " + version + " is approved and can be published.",
				() -> this.authoring.approve(key, version, me.actor(), blankToNull(comment)));
	}

	@PostMapping("/admin/templates/{key}/versions/{version}/reject")
	String reject(@PathVariable String key, @PathVariable int version,
			@RequestParam(name = "comment", required = false) @Nullable String comment, @Nullable Principal principal,
			HttpServletRequest request, RedirectAttributes redirect) {
		StaffMember me = StaffMember.of(principal, request).requireApprover();
		if (comment == null || comment.isBlank()) {
			redirect.addFlashAttribute("commentError", "Say what needs to change");
			return "redirect:/admin/templates/" + key + "/versions/" + version + "#comment";
		}
		return step(key, version, redirect, "Version " + version + " went back to its author with your comment.",
				() -> this.authoring.reject(key, version, me.actor(), comment));
	}

	@PostMapping("/admin/templates/{key}/versions/{version}/publish")
	String publish(@PathVariable String key, @PathVariable int version,
			@RequestParam(name = "comment", required = false) @Nullable String comment, @Nullable Principal principal,
			HttpServletRequest request, RedirectAttributes redirect) {
		StaffMember me = StaffMember.of(principal, request).requireApprover();
		return step(key, version, redirect, "Version " + version + " is published: documents use it from now on.",
				() -> this.authoring.publish(key, version, me.actor(), blankToNull(comment)));
	}

	@PostMapping("/admin/templates/{key}/versions/{version}/retire")
	String retire(@PathVariable String key, @PathVariable int version,
			@RequestParam(name = "comment", required = false) @Nullable String comment, @Nullable Principal principal,
			HttpServletRequest request, RedirectAttributes redirect) {
		StaffMember me = StaffMember.of(principal, request).requireApprover();
		return step(key, version, redirect, "Version " + version + " is retired.",
				() -> this.authoring.retire(key, version, me.actor(), blankToNull(comment)));
	}

	@PostMapping("/admin/templates/{key}/versions/{version}/discard")
	String discard(@PathVariable String key, @PathVariable int version, @Nullable Principal principal,
			HttpServletRequest request, RedirectAttributes redirect) {
		StaffMember me = StaffMember.of(principal, request).requireAuthor();
		try {
			this.authoring.discardDraft(key, version, me.actor());
			redirect.addFlashAttribute("notice", "Draft " + version + " is discarded.");
		}
		catch (GovernanceException ex) {
			redirect.addFlashAttribute("problem", "Nothing changed: " + message(ex));
		}
		return "redirect:/admin/templates/" + key;
	}

	private String step(String key, int version, RedirectAttributes redirect, String done, Runnable action) {
		try {
			action.run();
			redirect.addFlashAttribute("notice", done);
		}
		catch (GovernanceException | InvalidTemplateContentException ex) {
			redirect.addFlashAttribute("problem", "Nothing changed: " + message(ex));
		}
		return "redirect:/admin/templates/" + key + "/versions/" + version;
	}

	private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
	};

	static String message(RuntimeException ex) {
		if (ex instanceof InvalidTemplateContentException invalid) {
			return String.join("; ", invalid.problems().stream().map(DataViolation::message).toList()) + ".";
		}
		String message = (ex.getMessage() != null) ? ex.getMessage() : "the change is not allowed";
		return Character.toUpperCase(message.charAt(0)) + message.substring(1)
			.replace("IN_REVIEW", "in review")
			.replace("DRAFT", "a draft")
			.replace("APPROVED", "approved")
			.replace("PUBLISHED", "published")
			.replace("RETIRED", "retired") + ".";
	}

	private List<VersionRow> rows(String key) {
		return this.authoring.versions(key).stream().map(this::row).toList();
	}

	private VersionRow row(TemplateVersion version) {
		List<VersionTransition> history = this.authoring.history(version.templateKey(), version.version());
		boolean changesRequested = version.state() == VersionState.DRAFT && !history.isEmpty()
				&& history.get(history.size() - 1).from() == VersionState.IN_REVIEW;
		return new VersionRow(version, history, changesRequested);
	}

	private static @Nullable String blankToNull(@Nullable String comment) {
		return (comment == null || comment.isBlank()) ? null : comment.strip();
	}

}
