package org.ccm.admin;

import java.security.Principal;
import java.time.Instant;
import java.time.format.DateTimeParseException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.ccm.templates.DraftRequest;
import org.ccm.templates.GovernanceException;
import org.ccm.templates.InvalidTemplateContentException;
import org.ccm.templates.ProofSets;
import org.ccm.templates.TemplateAuthoring;
import org.ccm.templates.TemplateContent;
import org.ccm.templates.TemplateDefinition;
import org.ccm.templates.TemplateVersion;
import org.ccm.templates.VersionState;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import tools.jackson.databind.json.JsonMapper;

/**
 * The editor of a draft, one locale at a time: title, subject, SMS text and the blocks,
 * locked brand and legal blocks read-only unless the staff member has the brand role. A
 * save is all or nothing: every problem is shown next to its field and summed up at the
 * top, and a draft that changed since the page was opened is never overwritten. Autosave
 * posts the same form in the background and answers with its status only.
 */
@Controller
class TemplateEditorPages {

	private final TemplateAuthoring authoring;

	private final JsonMapper json;

	private final ProofSets proofSets;

	TemplateEditorPages(TemplateAuthoring authoring, JsonMapper json, ProofSets proofSets) {
		this.authoring = authoring;
		this.json = json;
		this.proofSets = proofSets;
	}

	/**
	 * What a save came to: the saved version, or the form with its problems.
	 */
	record Outcome(@Nullable TemplateVersion saved, EditorForm form) {
	}

	@GetMapping("/admin/templates/{key}/versions/{version}/edit")
	String edit(@PathVariable String key, @PathVariable int version,
			@RequestParam(name = "locale", defaultValue = EditorForm.DEFAULT) String locale,
			@Nullable Principal principal, HttpServletRequest request, Model model, RedirectAttributes redirect) {
		StaffMember me = StaffMember.of(principal, request).requireAuthor();
		TemplateDefinition template = this.authoring.template(key);
		TemplateVersion draft = this.authoring.version(key, version);
		String refusal = refusal(draft, me);
		if (refusal != null) {
			redirect.addFlashAttribute("problem", refusal);
			return "redirect:/admin/templates/" + key + "/versions/" + version;
		}
		return page(model, template, draft, EditorForm.of(template, draft.content(), locale, me.brand()), me,
				draft.updatedAt());
	}

	@PostMapping("/admin/templates/{key}/versions/{version}/edit")
	String save(@PathVariable String key, @PathVariable int version, @RequestParam MultiValueMap<String, String> params,
			@Nullable Principal principal, HttpServletRequest request, HttpServletResponse response, Model model,
			RedirectAttributes redirect) {
		StaffMember me = StaffMember.of(principal, request).requireAuthor();
		TemplateDefinition template = this.authoring.template(key);
		TemplateVersion draft = this.authoring.version(key, version);
		String locale = locale(params);
		Outcome outcome = save(template, draft, locale, params, me);
		if (outcome.saved() == null) {
			response.setStatus(422);
			return page(model, template, draft, outcome.form(), me, readAt(params, draft));
		}
		if ("submit".equals(params.getFirst("action"))) {
			try {
				this.authoring.submit(key, version, me.actor(), blank(params.getFirst("comment")));
				redirect.addFlashAttribute("notice", "Version " + version + " is saved and waiting for review.");
				return "redirect:/admin/templates/" + key + "/versions/" + version;
			}
			catch (GovernanceException | InvalidTemplateContentException ex) {
				redirect.addFlashAttribute("problem", "Saved, but not submitted: " + TemplatePages.message(ex));
			}
		}
		else {
			redirect.addFlashAttribute("notice",
					"Saved at " + AdminPages.Times.UTC.at(outcome.saved().updatedAt()) + ".");
		}
		return "redirect:/admin/templates/" + key + "/versions/" + version + "/edit?locale=" + locale;
	}

	@PostMapping("/admin/templates/{key}/versions/{version}/autosave")
	String autosave(@PathVariable String key, @PathVariable int version,
			@RequestParam MultiValueMap<String, String> params, @Nullable Principal principal,
			HttpServletRequest request, HttpServletResponse response, Model model) {
		StaffMember me = StaffMember.of(principal, request).requireAuthor();
		TemplateDefinition template = this.authoring.template(key);
		TemplateVersion draft = this.authoring.version(key, version);
		Outcome outcome = save(template, draft, locale(params), params, me);
		model.addAttribute("form", outcome.form());
		model.addAttribute("saved", outcome.saved());
		model.addAttribute("autosaveResponse", true);
		if (outcome.saved() != null) {
			// the preview beside the editor refreshes on this event
			response.setHeader("HX-Trigger", "draft-saved");
		}
		return "admin/template-editor :: autosave";
	}

	@PostMapping("/admin/studio/count/{field}")
	String count(@PathVariable String field, @RequestParam MultiValueMap<String, String> params, Model model) {
		String text = (params.getFirst(field) != null) ? params.getFirst(field) : "";
		if (field.equals("sms")) {
			model.addAttribute("count", EditorForm.SmsCount.of(text, this.authoring.smsMaxSegments()));
			return "admin/template-editor :: sms-count";
		}
		model.addAttribute("length", text.strip().length());
		return "admin/template-editor :: subject-count";
	}

	private Outcome save(TemplateDefinition template, TemplateVersion draft, String locale,
			MultiValueMap<String, String> params, StaffMember me) {
		EditorForm form = EditorForm.posted(template, draft.content(), locale, me.brand(), params);
		String refusal = refusal(draft, me);
		if (refusal != null) {
			form.problem("draft", refusal);
			return new Outcome(null, form);
		}
		form.check(Placeholders.of(draft.dataSchema(), this.json), this.authoring::sanitiserRemovals,
				this.authoring.smsMaxSegments());
		if (!form.problems().isEmpty()) {
			return new Outcome(null, form);
		}
		TemplateContent content = form.applyTo(draft.content());
		try {
			TemplateVersion saved = this.authoring.updateDraft(template.key(), draft.version(),
					new DraftRequest(content, draft.dataSchema(), draft.sampleData()), me.actor(),
					readAt(params, draft));
			return new Outcome(saved, form);
		}
		catch (InvalidTemplateContentException ex) {
			form.refused(content, ex.problems());
		}
		catch (GovernanceException ex) {
			form.problem("draft",
					(ex.reason() == GovernanceException.Reason.CONFLICT)
							? "This draft was saved somewhere else after you opened it, so your changes were not "
									+ "saved. Copy what you wrote, reload the page and make your changes again."
							: TemplatePages.message(ex));
		}
		return new Outcome(null, form);
	}

	private String page(Model model, TemplateDefinition template, TemplateVersion draft, EditorForm form,
			StaffMember me, Instant readAt) {
		model.addAttribute("template", template);
		model.addAttribute("draft", draft);
		model.addAttribute("form", form);
		model.addAttribute("me", me);
		model.addAttribute("readAt", readAt.toString());
		model.addAttribute("locales", EditorForm.locales(draft.content()));
		model.addAttribute("placeholders", Placeholders.of(draft.dataSchema(), this.json));
		model.addAttribute("count",
				EditorForm.SmsCount.of((form.sms() != null) ? form.sms() : "", this.authoring.smsMaxSegments()));
		model.addAttribute("subjectLength", (form.subject() != null) ? form.subject().strip().length() : 0);
		model.addAttribute("preview", TemplatePreviewPages.Options.initial(template, draft.version(), form.locale(),
				this.proofSets.of(template.key())));
		return "admin/template-editor";
	}

	private static @Nullable String refusal(TemplateVersion draft, StaffMember me) {
		if (draft.state() != VersionState.DRAFT) {
			return "Version " + draft.version() + " is no longer a draft and cannot change. "
					+ "Make a new draft from it to change its text.";
		}
		if (!draft.author().equals(me.name())) {
			return "Only " + draft.author() + ", who wrote this draft, can change it. "
					+ "Make a new draft from it to propose your own changes.";
		}
		return null;
	}

	private static String locale(MultiValueMap<String, String> params) {
		String locale = params.getFirst("locale");
		return (locale != null && !locale.isBlank()) ? locale : EditorForm.DEFAULT;
	}

	private static Instant readAt(MultiValueMap<String, String> params, TemplateVersion draft) {
		String readAt = params.getFirst("readAt");
		if (readAt == null) {
			return draft.updatedAt();
		}
		try {
			return Instant.parse(readAt);
		}
		catch (DateTimeParseException ex) {
			return Instant.EPOCH;
		}
	}

	private static @Nullable String blank(@Nullable String text) {
		return (text == null || text.isBlank()) ? null : text.strip();
	}

}
