package org.ccm.admin;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.ccm.campaigns.Campaign;
import org.ccm.campaigns.CampaignPage;
import org.ccm.campaigns.Campaigns;
import org.ccm.core.Channel;
import org.ccm.core.ConcurrentEditException;
import org.ccm.core.InteractionType;
import org.ccm.core.InvalidSegmentException;
import org.ccm.core.Purpose;
import org.ccm.core.Segment;
import org.ccm.core.SegmentRule;
import org.ccm.core.Segments;
import org.ccm.core.problems.ProblemException;
import org.ccm.templates.TemplateAuthoring;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Saved segments and their rule builder: conditions over attributes, profile fields,
 * purchases, spend, engagement, consent and reachability, combined with and, or and not,
 * with the member count and a sample of members counted as the rule is written. Marketers
 * and administrators change segments; every other staff member reads them. The segment
 * service checks the rule and its limits whatever the page sent.
 */
@Controller
class SegmentPages {

	static final int SAMPLE = 5;

	private final Segments segments;

	private final TemplateAuthoring authoring;

	private final Campaigns campaigns;

	SegmentPages(Segments segments, TemplateAuthoring authoring, Campaigns campaigns) {
		this.segments = segments;
		this.authoring = authoring;
		this.campaigns = campaigns;
	}

	/** Marketers and administrators change segments. */
	static boolean editor(HttpServletRequest request) {
		return request.isUserInRole("ADMIN") || request.isUserInRole("MARKETER");
	}

	private static void requireEditor(HttpServletRequest request) {
		if (!editor(request)) {
			throw new NotAllowedException("Only marketers and administrators change segments.");
		}
	}

	record Listed(Segment segment, List<String> offers, List<Campaign> campaigns) {

	}

	@GetMapping("/admin/segments")
	String list(HttpServletRequest request, Model model) {
		Map<String, List<String>> offersBySegment = this.authoring.offersBySegment();
		Map<String, List<Campaign>> campaignsBySegment = new LinkedHashMap<>();
		for (int page = 0;; page++) {
			CampaignPage found = this.campaigns.list(page, 200);
			found.items()
				.forEach((campaign) -> campaignsBySegment
					.computeIfAbsent(campaign.definition().segment(), (key) -> new ArrayList<>())
					.add(campaign));
			if ((long) (page + 1) * 200 >= found.total() || found.items().isEmpty()) {
				break;
			}
		}
		model.addAttribute("segments",
				this.segments.all()
					.stream()
					.map((segment) -> new Listed(segment, offersBySegment.getOrDefault(segment.key(), List.of()),
							campaignsBySegment.getOrDefault(segment.key(), List.of())))
					.toList());
		model.addAttribute("editor", editor(request));
		return "admin/segments";
	}

	@GetMapping("/admin/segments/new")
	String create(HttpServletRequest request, Model model) {
		requireEditor(request);
		return page(new Form("", "", null), SegmentRuleForm.empty(), Map.of(), request, model);
	}

	@GetMapping("/admin/segments/{key}")
	String show(@PathVariable String key, HttpServletRequest request, Model model) {
		Segment segment = this.segments.find(key)
			.orElseThrow(() -> new PageNotFoundException("There is no segment '" + key + "'."));
		return page(new Form(segment.key(), segment.name(), segment.version()), SegmentRuleForm.of(segment.rule()),
				Map.of(), request, model);
	}

	/**
	 * The form's key, name and the version the change is based on (null for a new
	 * segment).
	 */
	record Form(String key, String name, Long version) {

		boolean existing() {
			return this.version != null;
		}

	}

	/**
	 * Saves the segment as a new version of it, or, when one of the builder's buttons was
	 * pressed without scripts, shows the changed builder without saving.
	 */
	@PostMapping("/admin/segments")
	String save(@RequestParam Map<String, String> params, HttpServletRequest request, HttpServletResponse response,
			Model model) {
		requireEditor(request);
		Form form = new Form(params.getOrDefault("key", "").strip(), params.getOrDefault("name", "").strip(),
				version(params.get("version")));
		SegmentRuleForm.Node root = SegmentRuleForm.read(params);
		String action = params.get("action");
		if (action != null) {
			return page(form, SegmentRuleForm.apply(root, action), Map.of(), request, model);
		}
		Map<String, String> unreadable = new LinkedHashMap<>();
		SegmentRule rule = SegmentRuleForm.rule(root, this.segments.attributeTypes(), unreadable);
		Map<String, String> problems = new LinkedHashMap<>(unreadable);
		if (!form.existing() && !form.key().isEmpty() && this.segments.find(form.key()).isPresent()) {
			problems.put("key", "A segment with the key '" + form.key() + "' exists already: choose another key");
		}
		if (problems.isEmpty()) {
			try {
				this.segments.save(form.key(), form.name(), rule, form.version());
				return "redirect:/admin/segments/" + form.key() + "?saved";
			}
			catch (InvalidSegmentException ex) {
				SegmentRuleForm.placed(ex.problems()).forEach(problems::putIfAbsent);
			}
			catch (ConcurrentEditException ex) {
				problems.put("version", "Someone else saved this segment while you were editing it: " + ex.getMessage()
						+ ". Nothing was saved.");
			}
		}
		else {
			// what the service finds too, so that every problem is named at once
			SegmentRuleForm.placed(this.segments.problems(form.key(), form.name(), rule))
				.forEach(problems::putIfAbsent);
		}
		response.setStatus(422);
		return page(form, root, problems, request, model);
	}

	private static Long version(String text) {
		if (text == null || text.isBlank()) {
			return null;
		}
		try {
			return Long.valueOf(text.strip());
		}
		catch (NumberFormatException ex) {
			return -1L;
		}
	}

	/** The builder after one of its buttons or a change of a condition's kind. */
	@PostMapping("/admin/segments/builder")
	String builder(@RequestParam Map<String, String> params, HttpServletRequest request, Model model) {
		requireEditor(request);
		SegmentRuleForm.Node root = SegmentRuleForm.read(params);
		String action = params.get("action");
		if (action != null) {
			root = SegmentRuleForm.apply(root, action);
		}
		builderModel(root, Map.of(), true, model);
		// the member count follows once the changed builder is in the page
		return "admin/segment-parts :: rules";
	}

	/**
	 * The member count and a sample of members for the rule as it stands in the form, or
	 * what keeps it from being counted.
	 */
	@PostMapping("/admin/segments/count")
	String count(@RequestParam Map<String, String> params, HttpServletRequest request, Model model) {
		countModel(SegmentRuleForm.read(params), request, model);
		return "admin/segment-parts :: count";
	}

	private void countModel(SegmentRuleForm.Node root, HttpServletRequest request, Model model) {
		Map<String, String> problems = new LinkedHashMap<>();
		SegmentRule rule = SegmentRuleForm.rule(root, this.segments.attributeTypes(), problems);
		try {
			long members = this.segments.count(rule);
			if (problems.isEmpty()) {
				model.addAttribute("members", members);
				if (StaffRoles.customerData(request)) {
					model.addAttribute("sample", this.segments.preview(rule, SAMPLE));
				}
				model.addAttribute("countedAt", Instant.now());
			}
		}
		catch (InvalidSegmentException ex) {
			SegmentRuleForm.placed(ex.problems()).forEach(problems::putIfAbsent);
		}
		catch (ProblemException ex) {
			model.addAttribute("failed", ex.getMessage());
		}
		model.addAttribute("incomplete", problems);
	}

	private String page(Form form, SegmentRuleForm.Node root, Map<String, String> problems, HttpServletRequest request,
			Model model) {
		boolean editor = editor(request);
		model.addAttribute("form", form);
		model.addAttribute("problems", problems);
		model.addAttribute("editor", editor);
		builderModel(root, problems, editor, model);
		if (!editor) {
			// readers' fields are disabled and post nothing: their count is made here
			countModel(root, request, model);
		}
		return "admin/segment";
	}

	private void builderModel(SegmentRuleForm.Node root, Map<String, String> problems, boolean editor, Model model) {
		model.addAttribute("root", root);
		model.addAttribute("problems", problems);
		model.addAttribute("editable", editor);
		model.addAttribute("conditions", SegmentRuleForm.CONDITIONS);
		Map<String, String> profileFields = new LinkedHashMap<>();
		SegmentRuleForm.PROFILE_FIELDS.forEach((field) -> profileFields.put(field, field));
		Map<String, String> attributes = new LinkedHashMap<>();
		this.segments.attributeTypes()
			.forEach((name, type) -> attributes.put(name, name + " (" + type.toLowerCase(Locale.ROOT) + ")"));
		Map<String, String> channels = constants(Channel.values());
		Map<String, String> anyChannels = new LinkedHashMap<>();
		anyChannels.put("", "Any channel");
		anyChannels.putAll(channels);
		model.addAttribute("conditionFields", conditionFields(attributes, profileFields, channels, anyChannels));
	}

	/**
	 * A value a condition asks for: chosen from {@code options}, or typed when there are
	 * none.
	 */
	record ConditionField(String name, String label, @Nullable String hint, @Nullable Map<String, String> options) {

		static ConditionField typed(String name, String label, @Nullable String hint) {
			return new ConditionField(name, label, hint, null);
		}

		static ConditionField chosen(String name, String label, Map<String, String> options) {
			return new ConditionField(name, label, null, options);
		}

	}

	/**
	 * The fields of each kind of condition, in the order the builder shows them; the
	 * builder renders them all with the same two fragments.
	 */
	private static Map<String, List<ConditionField>> conditionFields(Map<String, String> attributes,
			Map<String, String> profileFields, Map<String, String> channels, Map<String, String> anyChannels) {
		String several = "Several values for \u201cis one of\u201d: separate them with commas";
		ConditionField value = ConditionField.typed("value", "Value", several);
		ConditionField withinDays = ConditionField.typed("withinDays", "Within days", "Empty for ever");
		ConditionField channel = ConditionField.chosen("channel", "Channel", channels);
		Map<String, List<ConditionField>> fields = new LinkedHashMap<>();
		fields.put("attribute", List.of(ConditionField.chosen("name", "Attribute", attributes),
				ConditionField.chosen("op", "Comparison", options(SegmentRuleForm.OPS)), value));
		fields.put("profile", List.of(ConditionField.chosen("field", "Profile field", profileFields),
				ConditionField.chosen("op", "Comparison", options(SegmentRuleForm.PROFILE_OPS)), value));
		fields.put("bought",
				List.of(ConditionField.typed("product", "Product", null),
						ConditionField.typed("transactionType", "Transaction type",
								"Optional, such as purchase or refund"),
						ConditionField.typed("minCount", "Times bought", "At least; 1 when empty"), withinDays));
		fields.put("spend",
				List.of(ConditionField.chosen("op", "Total spend", options(SegmentRuleForm.COMPARISONS)),
						ConditionField.typed("amount", "Amount", null),
						ConditionField.typed("currency", "Currency", "Optional, such as EUR"), withinDays));
		fields.put("engaged",
				List.of(ConditionField.chosen("interaction", "Interaction", constants(InteractionType.values())),
						ConditionField.chosen("channel", "Channel", anyChannels), withinDays));
		fields.put("consent",
				List.of(channel, ConditionField.chosen("purpose", "Purpose", constants(Purpose.values()))));
		fields.put("reachable", List.of(channel));
		return fields;
	}

	private static final Map<String, String> OP_LABELS = Map.of("eq", "is", "ne", "is not", "gt", "is more than", "gte",
			"is at least", "lt", "is less than", "lte", "is at most", "in", "is one of", "exists", "is set");

	private static Map<String, String> options(List<String> ops) {
		Map<String, String> options = new LinkedHashMap<>();
		ops.forEach((op) -> options.put(op, OP_LABELS.get(op)));
		return options;
	}

	private static Map<String, String> constants(Enum<?>[] values) {
		Map<String, String> options = new LinkedHashMap<>();
		for (Enum<?> value : values) {
			String words = value.name().replace('_', ' ').toLowerCase(Locale.ROOT);
			options.put(value.name(), Character.toUpperCase(words.charAt(0)) + words.substring(1));
		}
		return options;
	}

}
