package org.ccm.admin;

import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;

import org.ccm.campaigns.Campaign;
import org.ccm.campaigns.CampaignRequest;
import org.ccm.campaigns.CampaignState;
import org.ccm.campaigns.CampaignStateException;
import org.ccm.campaigns.Campaigns;
import org.ccm.campaigns.InvalidCampaignException;
import org.ccm.core.Channel;
import org.ccm.core.Purpose;
import org.ccm.core.Segment;
import org.ccm.core.Segments;
import org.ccm.core.UnknownCustomerException;
import org.ccm.delivery.Acceptance;
import org.ccm.delivery.Communications;
import org.ccm.delivery.SendRequest;
import org.ccm.templates.InvalidTemplateDataException;
import org.ccm.templates.TemplateAuthoring;
import org.ccm.templates.TemplateDefinition;
import org.ccm.templates.TemplateSummary;
import org.ccm.templates.TemplateVersion;
import org.ccm.templates.Templates;
import org.ccm.templates.UnknownTemplateException;
import org.ccm.templates.VersionState;
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
 * Creating a campaign as a task list: audience (a saved segment, with its live member
 * count and a sample), content (a template with a published version), schedule, throttle;
 * then a review that states exactly what will be sent, a test to oneself, and the launch.
 * The form creates a draft only when everything in it is right; nothing goes out before
 * the launch button.
 */
@Controller
class CampaignSetupPages {

	static final int SAMPLE = 5;

	private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
	};

	private static final DateTimeFormatter AT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
		.withZone(ZoneOffset.UTC);

	private static final String TESTED = CampaignSetupPages.class.getName() + ".tested";

	private final Campaigns campaigns;

	private final Segments segments;

	private final Templates templates;

	private final TemplateAuthoring authoring;

	private final Communications communications;

	private final Validator validator;

	private final JsonMapper json;

	CampaignSetupPages(Campaigns campaigns, Segments segments, Templates templates, TemplateAuthoring authoring,
			Communications communications, Validator validator, JsonMapper json) {
		this.campaigns = campaigns;
		this.segments = segments;
		this.templates = templates;
		this.authoring = authoring;
		this.communications = communications;
		this.validator = validator;
		this.json = json;
	}

	/**
	 * The form's fields as typed, so a form with problems comes back as it was sent.
	 */
	public record Form(String name, String segment, String excludeUnresponsive, String template, String purpose,
			String scheduleKind, String at, String windowStart, String windowEnd, String perSecond,
			Map<String, String> perChannel, String data, String pilotPercent, List<VariantFields> variants,
			String testPercent, String winnerMetric, String winnerAfterHours, List<StepFields> steps) {

		static Form empty() {
			return new Form("", "", "", "", "MARKETING", "NOW", "", "09:00", "17:00", "50", Map.of(), "", "",
					VariantFields.blank(), "20", "OPENED", "24", StepFields.blank());
		}

		static Form of(CampaignRequest request, JsonMapper json) {
			Map<String, String> perChannel = new LinkedHashMap<>();
			request.throttle()
				.perChannelOrEmpty()
				.forEach((channel, rate) -> perChannel.put(channel.name(), "" + rate));
			CampaignRequest.Schedule schedule = request.schedule();
			CampaignRequest.AbTest test = request.abTest();
			List<VariantFields> variants = new ArrayList<>();
			if (test != null) {
				test.variants()
					.forEach(
							(v) -> variants.add(new VariantFields(v.name(), "" + v.templateVersion(), "" + v.share())));
			}
			List<StepFields> steps = new ArrayList<>();
			request.stepsOrEmpty()
				.forEach((step) -> steps
					.add(new StepFields("" + step.after().toDays(), (step.unless() != null) ? step.unless().name() : "",
							(step.channel() != null) ? step.channel().name() : "",
							(step.template() != null) ? step.template() : "")));
			return new Form(request.name(), request.segment(),
					(request.excludeUnresponsive() != null) ? "" + request.excludeUnresponsive() : "",
					request.template(), request.purpose().name(), schedule.kind().name(),
					(schedule.at() != null) ? LocalDateTime.ofInstant(schedule.at(), ZoneOffset.UTC).toString() : "",
					(schedule.windowStart() != null) ? schedule.windowStart().toString() : "09:00",
					(schedule.windowEnd() != null) ? schedule.windowEnd().toString() : "17:00",
					"" + request.throttle().perSecond(), perChannel,
					request.dataOrEmpty().isEmpty() ? "" : json.writeValueAsString(request.dataOrEmpty()),
					(request.pilot() != null && request.pilot().percent() != null) ? "" + request.pilot().percent()
							: "",
					VariantFields.padded(variants), (test != null) ? "" + test.testPercent() : "20",
					(test != null) ? test.winner().metric().name() : "OPENED",
					(test != null) ? "" + test.winner().after().toHours() : "24", StepFields.padded(steps));
		}

		public String rate(String channel) {
			return this.perChannel.getOrDefault(channel, "");
		}

		boolean abTest() {
			return this.variants.stream().anyMatch(VariantFields::used);
		}

		boolean followUps() {
			return this.steps.stream().anyMatch(StepFields::used);
		}

	}

	/** One A/B variant's row of the form: its name, template version and share. */
	public record VariantFields(String name, String version, String share) {

		/** The most variants the campaign API takes. */
		static final int ROWS = 4;

		static List<VariantFields> blank() {
			return padded(List.of());
		}

		static List<VariantFields> padded(List<VariantFields> given) {
			List<VariantFields> rows = new ArrayList<>(given);
			while (rows.size() < ROWS) {
				rows.add(new VariantFields("", "", ""));
			}
			return rows;
		}

		boolean used() {
			return !this.name.isBlank() || !this.version.isBlank() || !this.share.isBlank();
		}

	}

	/**
	 * One follow-up step's row of the form: days after the step before, to whom, on which
	 * channel and with which template.
	 */
	public record StepFields(String afterDays, String unless, String channel, String template) {

		static final int ROWS = 3;

		static List<StepFields> blank() {
			return padded(List.of());
		}

		static List<StepFields> padded(List<StepFields> given) {
			List<StepFields> rows = new ArrayList<>(given);
			while (rows.size() < ROWS) {
				rows.add(new StepFields("", "", "", ""));
			}
			return rows;
		}

		boolean used() {
			return !this.afterDays.isBlank() || !this.channel.isBlank() || !this.template.isBlank();
		}

	}

	/** A template that can be used: it has a published version. */
	public record Usable(TemplateDefinition template, TemplateSummary published) {

	}

	/** One line of the task list. */
	public record Task(String name, String href, String status) {

		public String statusClass() {
			return "task-" + this.status.toLowerCase(Locale.ROOT).replace(' ', '-');
		}

	}

	@GetMapping("/admin/campaigns/new")
	String form(@RequestParam(name = "copy", required = false) @Nullable UUID copy, HttpServletRequest request,
			Model model) {
		StaffRoles.requireCampaigner(request);
		Form form = Form.empty();
		if (copy != null) {
			form = this.campaigns.find(copy).map((campaign) -> Form.of(campaign.definition(), this.json)).orElse(form);
		}
		return formPage(form, Map.of(), model);
	}

	private String formPage(Form form, Map<String, String> problems, Model model) {
		model.addAttribute("form", form);
		model.addAttribute("problems", problems);
		model.addAttribute("segments", this.segments.all());
		model.addAttribute("templates", usable());
		model.addAttribute("testable", testable(form.template()));
		model.addAttribute("channels", Channel.values());
		model.addAttribute("metrics", CampaignRequest.Metric.values());
		model.addAttribute("tasks", List.of(
				new Task("Choose the audience", "#audience-heading", status(form.segment(), problems, "segment")),
				new Task("Choose the content", "#content-heading", status(form.template(), problems, "template")),
				new Task("Set the schedule", "#schedule-heading", status(form.scheduleKind(), problems, "at")),
				new Task("Set the speed", "#throttle-heading", status(form.perSecond(), problems, "perSecond")),
				new Task("Try variants in an A/B test (optional)", "#ab-heading",
						optional(form.abTest(), problems, "variant")),
				new Task("Add follow-up steps (optional)", "#steps-heading",
						optional(form.followUps(), problems, "step-")),
				new Task("Send a test to yourself", "#", "Cannot start yet"),
				new Task("Review and launch", "#", "Cannot start yet")));
		return "admin/campaign-new";
	}

	private static String optional(boolean used, Map<String, String> problems, String prefix) {
		if (problems.keySet().stream().anyMatch((field) -> field.startsWith(prefix))) {
			return "Incomplete";
		}
		return used ? "Completed" : "Not started";
	}

	private static String status(String value, Map<String, String> problems, String field) {
		if (problems.containsKey(field)) {
			return "Incomplete";
		}
		return value.isBlank() ? "Not started" : "Completed";
	}

	private List<Usable> usable() {
		List<Usable> usable = new ArrayList<>();
		for (TemplateDefinition template : this.authoring.templates()) {
			this.templates.findPublished(template.key())
				.ifPresent((published) -> usable.add(new Usable(template, published)));
		}
		return usable;
	}

	/**
	 * The chosen segment's member count and a sample of members, counted now.
	 */
	@GetMapping("/admin/campaigns/audience")
	String audience(@RequestParam(name = "segment", defaultValue = "") String segment, HttpServletRequest request,
			Model model) {
		StaffRoles.requireCampaigner(request);
		Optional<Segment> found = segment.isBlank() ? Optional.empty() : this.segments.find(segment);
		model.addAttribute("chosen", found.orElse(null));
		if (found.isPresent()) {
			model.addAttribute("members", this.segments.count(found.get().rule()));
			model.addAttribute("sample", this.segments.preview(found.get().rule(), SAMPLE));
			model.addAttribute("countedAt", Instant.now());
		}
		return "admin/campaign-new :: audience";
	}

	/**
	 * The versions of the chosen template an A/B test may use (approved, published or
	 * retired), with their subject lines: variants that differ in subject are versions
	 * that differ in subject, each approved like any other.
	 */
	@GetMapping("/admin/campaigns/versions")
	String versions(@RequestParam(name = "template", defaultValue = "") String template, HttpServletRequest request,
			Model model) {
		StaffRoles.requireCampaigner(request);
		model.addAttribute("testable", testable(template));
		return "admin/campaign-new :: versions";
	}

	private List<Testable> testable(String template) {
		if (template.isBlank() || this.authoring.templates().stream().noneMatch((t) -> t.key().equals(template))) {
			return List.of();
		}
		return this.authoring.versions(template)
			.stream()
			.filter((v) -> v.state() != VersionState.DRAFT && v.state() != VersionState.IN_REVIEW)
			.sorted(Comparator.comparingInt(TemplateVersion::version).reversed())
			.map(Testable::of)
			.toList();
	}

	/** A version an A/B test may use, as the form lists it. */
	public record Testable(int version, String state, String subject) {

		static Testable of(TemplateVersion version) {
			Map<String, String> subjects = version.content().subject();
			String subject = subjects.getOrDefault("default",
					subjects.isEmpty() ? "—" : subjects.values().iterator().next());
			String state = version.state().name().toLowerCase(Locale.ROOT);
			return new Testable(version.version(), Character.toUpperCase(state.charAt(0)) + state.substring(1),
					subject);
		}

	}

	@PostMapping("/admin/campaigns")
	String create(@RequestParam Map<String, String> params, @Nullable Principal principal, HttpServletRequest request,
			HttpServletResponse response, Model model) {
		StaffRoles.requireCampaigner(request);
		Map<String, String> perChannel = new LinkedHashMap<>();
		for (Channel channel : Channel.values()) {
			String rate = params.getOrDefault("perChannel-" + channel.name(), "").strip();
			if (!rate.isEmpty()) {
				perChannel.put(channel.name(), rate);
			}
		}
		List<VariantFields> variants = new ArrayList<>();
		for (int i = 0; i < VariantFields.ROWS; i++) {
			variants.add(new VariantFields(value(params, "variant-" + i + "-name"),
					value(params, "variant-" + i + "-version"), value(params, "variant-" + i + "-share")));
		}
		List<StepFields> steps = new ArrayList<>();
		for (int i = 0; i < StepFields.ROWS; i++) {
			steps.add(new StepFields(value(params, "step-" + i + "-after"), value(params, "step-" + i + "-unless"),
					value(params, "step-" + i + "-channel"), value(params, "step-" + i + "-template")));
		}
		Form form = new Form(value(params, "name"), value(params, "segment"), value(params, "excludeUnresponsive"),
				value(params, "template"), value(params, "purpose"), value(params, "scheduleKind"), value(params, "at"),
				value(params, "windowStart"), value(params, "windowEnd"), value(params, "perSecond"), perChannel,
				value(params, "data"), value(params, "pilotPercent"), variants, value(params, "testPercent"),
				value(params, "winnerMetric"), value(params, "winnerAfterHours"), steps);
		Map<String, String> problems = new LinkedHashMap<>();
		CampaignRequest campaign = request(form, problems);
		if (campaign != null) {
			for (ConstraintViolation<CampaignRequest> violation : this.validator.validate(campaign)) {
				String path = violation.getPropertyPath().toString();
				problems.putIfAbsent(field(path), label(path) + " " + violation.getMessage());
			}
		}
		if (campaign != null) {
			try {
				this.campaigns.check(campaign);
			}
			catch (InvalidCampaignException ex) {
				ex.problems()
					.forEach((path, message) -> problems.putIfAbsent(field(path), label(path) + ": " + message));
			}
		}
		if (problems.isEmpty() && campaign != null) {
			try {
				Campaign created = this.campaigns.create(campaign,
						(principal != null) ? principal.getName() : "anonymous");
				return "redirect:/admin/campaigns/" + created.id() + "/review";
			}
			catch (InvalidCampaignException ex) {
				ex.problems()
					.forEach((path, message) -> problems.putIfAbsent(field(path), label(path) + ": " + message));
			}
		}
		response.setStatus(422);
		return formPage(form, ordered(problems), model);
	}

	private static String value(Map<String, String> params, String name) {
		return params.getOrDefault(name, "").strip();
	}

	private static final List<String> FIELDS = fields();

	private static List<String> fields() {
		List<String> fields = new ArrayList<>(List.of("name", "segment", "excludeUnresponsive", "template", "purpose",
				"data", "scheduleKind", "at", "windowStart", "windowEnd", "perSecond", "perChannel-EMAIL",
				"perChannel-SMS", "perChannel-PRINT", "perChannel-PORTAL", "pilotPercent", "variants"));
		for (int i = 0; i < VariantFields.ROWS; i++) {
			fields.addAll(List.of("variant-" + i + "-name", "variant-" + i + "-version", "variant-" + i + "-share"));
		}
		fields.addAll(List.of("testPercent", "winnerMetric", "winnerAfterHours"));
		for (int i = 0; i < StepFields.ROWS; i++) {
			fields.addAll(List.of("step-" + i + "-after", "step-" + i + "-unless", "step-" + i + "-channel",
					"step-" + i + "-template"));
		}
		return fields;
	}

	private static Map<String, String> ordered(Map<String, String> problems) {
		Map<String, String> ordered = new LinkedHashMap<>();
		FIELDS.forEach((field) -> {
			if (problems.containsKey(field)) {
				ordered.put(field, problems.get(field));
			}
		});
		problems.forEach(ordered::putIfAbsent);
		return ordered;
	}

	/** The form field an API field path belongs to. */
	static String field(String path) {
		Matcher row = ROW.matcher(path);
		if (row.matches()) {
			String prefix = row.group(1).equals("abTest.variants") ? "variant-" : "step-";
			String rest = (row.group(3) != null) ? row.group(3) : "";
			String name = switch (rest) {
				case "templateVersion" -> "version";
				case "name", "share", "unless", "channel", "template" -> rest;
				default -> prefix.equals("variant-") ? "name" : "after";
			};
			return prefix + row.group(2) + "-" + name;
		}
		if (path.startsWith("abTest.testPercent")) {
			return "testPercent";
		}
		if (path.startsWith("abTest.winner")) {
			return path.endsWith("after") ? "winnerAfterHours" : "winnerMetric";
		}
		if (path.startsWith("abTest")) {
			return "variants";
		}
		if (path.startsWith("steps")) {
			return "step-0-after";
		}
		if (path.startsWith("schedule.")) {
			String rest = path.substring("schedule.".length());
			return rest.equals("kind") ? "scheduleKind" : rest;
		}
		if (path.startsWith("throttle.perChannel")) {
			for (Channel channel : Channel.values()) {
				if (path.contains(channel.name())) {
					return "perChannel-" + channel.name();
				}
			}
			return "perSecond";
		}
		if (path.startsWith("throttle")) {
			return "perSecond";
		}
		if (path.startsWith("pilot")) {
			return "pilotPercent";
		}
		if (path.startsWith("data")) {
			return "data";
		}
		int dot = path.indexOf('.');
		return (dot > 0) ? path.substring(0, dot) : path;
	}

	private static final Pattern ROW = Pattern.compile("(abTest\\.variants|steps)\\[(\\d+)\\](?:\\.(\\w+))?.*");

	private static String label(String path) {
		String field = field(path);
		Matcher row = Pattern.compile("(variant|step)-(\\d+)-(\\w+)").matcher(field);
		if (row.matches()) {
			int number = Integer.parseInt(row.group(2)) + 1;
			String what = switch (row.group(3)) {
				case "version" -> "template version";
				case "after" -> "days after the step before";
				case "unless" -> "recipients";
				default -> row.group(3);
			};
			return (row.group(1).equals("variant") ? "Variant " : "Follow-up ") + number + " " + what;
		}
		return switch (field) {
			case "variants" -> "A/B test";
			case "testPercent" -> "Test group share";
			case "winnerMetric" -> "Winner";
			case "winnerAfterHours" -> "Hours before the winner is chosen";
			case "name" -> "Name";
			case "segment" -> "Segment";
			case "excludeUnresponsive" -> "Number of recent communications";
			case "template" -> "Template";
			case "purpose" -> "Purpose";
			case "scheduleKind" -> "Schedule";
			case "at" -> "Start time";
			case "windowStart" -> "Window start";
			case "windowEnd" -> "Window end";
			case "perSecond" -> "Messages per second";
			case "pilotPercent" -> "Pilot share";
			case "data" -> "Template data";
			default -> path.startsWith("throttle.perChannel") ? "Messages per second for this channel" : path;
		};
	}

	/**
	 * The request the form describes, with a problem for each field that cannot even be
	 * read; null when one cannot.
	 */
	@Nullable CampaignRequest request(Form form, Map<String, String> problems) {
		if (form.name().isBlank()) {
			problems.put("name", "Enter a name for the campaign");
		}
		if (form.segment().isBlank()) {
			problems.put("segment", "Choose the segment to send to");
		}
		if (form.template().isBlank()) {
			problems.put("template", "Choose the template to send");
		}
		Purpose purpose = null;
		try {
			purpose = Purpose.valueOf(form.purpose());
		}
		catch (IllegalArgumentException ex) {
			problems.put("purpose", "Choose marketing or transactional");
		}
		CampaignRequest.ScheduleKind kind = null;
		try {
			kind = CampaignRequest.ScheduleKind.valueOf(form.scheduleKind());
		}
		catch (IllegalArgumentException ex) {
			problems.put("scheduleKind", "Choose when the campaign starts");
		}
		Instant at = null;
		LocalTime windowStart = null;
		LocalTime windowEnd = null;
		if (kind == CampaignRequest.ScheduleKind.AT) {
			if (form.at().isBlank()) {
				problems.put("at", "Enter the start date and time");
			}
			else {
				try {
					at = LocalDateTime.parse(form.at()).toInstant(ZoneOffset.UTC);
				}
				catch (DateTimeParseException ex) {
					problems.put("at", "Start time must be a date and time, like 2026-12-24T09:00");
				}
			}
		}
		if (kind == CampaignRequest.ScheduleKind.LOCAL_WINDOW) {
			windowStart = time(form.windowStart(), "windowStart", "Window start", problems);
			windowEnd = time(form.windowEnd(), "windowEnd", "Window end", problems);
		}
		Integer perSecond = number(form.perSecond(), "perSecond", "Messages per second", problems);
		if (form.perSecond().isBlank()) {
			problems.put("perSecond", "Enter how many messages may go out per second");
		}
		Map<Channel, Integer> perChannel = new EnumMap<>(Channel.class);
		form.perChannel().forEach((channel, rate) -> {
			Integer value = number(rate, "perChannel-" + channel, "Messages per second for " + channel, problems);
			if (value != null) {
				perChannel.put(Channel.valueOf(channel), value);
			}
		});
		Map<String, Object> data = null;
		if (!form.data().isBlank()) {
			try {
				data = this.json.readValue(form.data(), MAP);
			}
			catch (JacksonException ex) {
				problems.put("data", "Template data must be a JSON object, like {\"season\": \"spring\"}");
			}
		}
		Integer pilot = number(form.pilotPercent(), "pilotPercent", "Pilot share", problems);
		Integer unresponsive = number(form.excludeUnresponsive(), "excludeUnresponsive",
				"Number of recent communications", problems);
		CampaignRequest.AbTest abTest = abTest(form, problems);
		List<CampaignRequest.Step> steps = steps(form, problems);
		if (!problems.isEmpty() || purpose == null || kind == null || perSecond == null) {
			return null;
		}
		return new CampaignRequest(form.name(), form.segment(), form.template(), purpose, data,
				new CampaignRequest.Schedule(kind, at, windowStart, windowEnd),
				new CampaignRequest.Throttle(perSecond, perChannel.isEmpty() ? null : perChannel),
				(pilot != null) ? new CampaignRequest.Pilot(pilot, null, null) : null, abTest,
				steps.isEmpty() ? null : steps, unresponsive);
	}

	/**
	 * The A/B test the variant rows describe: none when every row is blank; at least two
	 * rows whose shares add up to 100 otherwise.
	 */
	private static CampaignRequest.@Nullable AbTest abTest(Form form, Map<String, String> problems) {
		if (!form.abTest()) {
			return null;
		}
		List<CampaignRequest.Variant> variants = new ArrayList<>();
		int shares = 0;
		boolean readable = true;
		for (int i = 0; i < form.variants().size(); i++) {
			VariantFields row = form.variants().get(i);
			if (!row.used()) {
				continue;
			}
			String field = "variant-" + i;
			String label = "Variant " + (i + 1);
			if (row.name().isBlank()) {
				problems.put(field + "-name", "Enter a name for variant " + (i + 1) + ", like A");
			}
			Integer version = number(row.version(), field + "-version", label + " template version", problems);
			if (row.version().isBlank()) {
				problems.put(field + "-version", "Enter the template version variant " + (i + 1) + " sends");
			}
			Integer share = number(row.share(), field + "-share", label + " share", problems);
			if (row.share().isBlank()) {
				problems.put(field + "-share", "Enter the share of the test group variant " + (i + 1) + " gets");
			}
			if (version == null || share == null) {
				readable = false;
				continue;
			}
			shares += share;
			variants.add(new CampaignRequest.Variant(row.name(), version, share));
		}
		if (form.variants().stream().filter(VariantFields::used).count() < 2) {
			problems.put("variants", "An A/B test needs at least two variants: fill in a second one or clear them all");
		}
		else if (readable && shares != 100) {
			problems.put("variants", "The variants' shares must add up to 100 %; they add up to " + shares + " %");
		}
		Integer testPercent = number(form.testPercent(), "testPercent", "Test group share", problems);
		if (form.testPercent().isBlank()) {
			problems.put("testPercent", "Enter the share of recipients in the test group");
		}
		CampaignRequest.Metric metric = null;
		try {
			metric = CampaignRequest.Metric.valueOf(form.winnerMetric());
		}
		catch (IllegalArgumentException ex) {
			problems.put("winnerMetric", "Choose what makes a variant win");
		}
		Integer hours = number(form.winnerAfterHours(), "winnerAfterHours", "Hours before the winner is chosen",
				problems);
		if (form.winnerAfterHours().isBlank()) {
			problems.put("winnerAfterHours", "Enter after how many hours the winner is chosen");
		}
		if (testPercent == null || metric == null || hours == null) {
			return null;
		}
		return new CampaignRequest.AbTest(variants, testPercent,
				new CampaignRequest.WinnerRule(metric, Duration.ofHours(hours)));
	}

	/** The follow-up steps of the rows that are filled in, in order. */
	private static List<CampaignRequest.Step> steps(Form form, Map<String, String> problems) {
		List<CampaignRequest.Step> steps = new ArrayList<>();
		for (int i = 0; i < form.steps().size(); i++) {
			StepFields row = form.steps().get(i);
			if (!row.used()) {
				continue;
			}
			String field = "step-" + i;
			Integer days = number(row.afterDays(), field + "-after", "Follow-up " + (i + 1) + " days", problems);
			if (row.afterDays().isBlank()) {
				problems.put(field + "-after",
						"Enter how many days after the step before follow-up " + (i + 1) + " goes out");
			}
			CampaignRequest.Metric unless = null;
			if (!row.unless().isBlank()) {
				try {
					unless = CampaignRequest.Metric.valueOf(row.unless());
				}
				catch (IllegalArgumentException ex) {
					problems.put(field + "-unless", "Choose who follow-up " + (i + 1) + " goes to");
				}
			}
			Channel channel = null;
			if (!row.channel().isBlank()) {
				try {
					channel = Channel.valueOf(row.channel());
				}
				catch (IllegalArgumentException ex) {
					problems.put(field + "-channel", "Choose the channel of follow-up " + (i + 1));
				}
			}
			if (days != null) {
				steps.add(new CampaignRequest.Step(Duration.ofDays(days), unless, channel,
						row.template().isBlank() ? null : row.template()));
			}
		}
		return steps;
	}

	private static @Nullable LocalTime time(String value, String field, String label, Map<String, String> problems) {
		try {
			return LocalTime.parse(value);
		}
		catch (DateTimeParseException ex) {
			problems.put(field, label + " must be a time of day, like 09:00");
			return null;
		}
	}

	private static @Nullable Integer number(String value, String field, String label, Map<String, String> problems) {
		if (value.isBlank()) {
			return null;
		}
		try {
			return Integer.valueOf(value.strip());
		}
		catch (NumberFormatException ex) {
			problems.put(field, label + " must be a whole number");
			return null;
		}
	}

	/**
	 * What launching would do, in one sentence, with the tests sent and the launch
	 * button.
	 */
	@GetMapping("/admin/campaigns/{id}/review")
	String review(@PathVariable UUID id, HttpServletRequest request, Model model) {
		StaffRoles.requireCampaigner(request);
		return reviewPage(draft(id), Map.of(), request.getSession(), model);
	}

	private Campaign draft(UUID id) {
		return this.campaigns.find(id).orElseThrow(() -> new PageNotFoundException("There is no campaign " + id + "."));
	}

	private String reviewPage(Campaign campaign, Map<String, String> problems, HttpSession session, Model model) {
		CampaignRequest d = campaign.definition();
		Map<Channel, Long> reach = Map.of();
		long members = 0;
		try {
			reach = this.campaigns.estimate(d.segment(), d.template(), d.purpose());
			members = this.segments.find(d.segment()).map((s) -> this.segments.count(s.rule())).orElse(0L);
		}
		catch (InvalidCampaignException ex) {
			Map<String, String> more = new LinkedHashMap<>(problems);
			ex.problems().forEach((path, message) -> more.putIfAbsent(field(path), label(path) + ": " + message));
			problems = more;
		}
		long reached = reach.values().stream().mapToLong(Long::longValue).sum();
		boolean tested = tested(session).contains(campaign.id());
		model.addAttribute("campaign", campaign);
		model.addAttribute("problems", problems);
		model.addAttribute("reach", reach);
		model.addAttribute("members", members);
		model.addAttribute("unreached", Math.max(0, members - reached));
		model.addAttribute("statement", statement(reach, d));
		model.addAttribute("abTest", abTestWords(d));
		model.addAttribute("followUps", followUpWords(d));
		model.addAttribute("channels",
				this.templates.findPublished(d.template()).map(TemplateSummary::channels).orElse(Set.of()));
		model.addAttribute("tasks", List.of(new Task("Choose the audience", "#what", "Completed"),
				new Task("Choose the content", "#what", "Completed"),
				new Task("Set the schedule", "#what", "Completed"), new Task("Set the speed", "#what", "Completed"),
				new Task("Send a test to yourself", "#test-heading", tested ? "Completed" : "Not started"),
				new Task("Review and launch", "#launch-heading",
						(campaign.state() == CampaignState.DRAFT) ? "Not started" : "Completed")));
		return "admin/campaign-review";
	}

	@SuppressWarnings("unchecked")
	private static Set<UUID> tested(HttpSession session) {
		Object tested = session.getAttribute(TESTED);
		if (tested == null) {
			tested = new HashSet<UUID>();
			session.setAttribute(TESTED, tested);
		}
		return (Set<UUID>) tested;
	}

	/**
	 * "12,345 emails and 2,001 letters, starting at 09:00 in each customer's time zone,
	 * at most 50 per second."
	 */
	static String statement(Map<Channel, Long> reach, CampaignRequest definition) {
		List<String> parts = new ArrayList<>();
		for (Channel channel : List.of(Channel.EMAIL, Channel.SMS, Channel.PRINT, Channel.PORTAL)) {
			long count = reach.getOrDefault(channel, 0L);
			if (count > 0) {
				parts.add(String.format(Locale.UK, "%,d %s", count, noun(channel, count)));
			}
		}
		String what = parts.isEmpty() ? "No messages" : (parts.size() == 1) ? parts.get(0)
				: String.join(", ", parts.subList(0, parts.size() - 1)) + " and " + parts.get(parts.size() - 1);
		String unresponsive = (definition.excludeUnresponsive() != null)
				? " Members who engaged with none of their last " + definition.excludeUnresponsive()
						+ " communications are left out at launch, so fewer may go: each is skipped with that reason."
				: "";
		return what + ", " + schedule(definition) + ", " + throttle(definition) + "." + unresponsive;
	}

	/**
	 * "First an A/B test on 20 % of the recipients: variant A (template version 1) to 50
	 * % of them, variant B (template version 2) to 50 %. After 24 hours the variant with
	 * the best open rate goes to the rest." Null without a test.
	 */
	static @Nullable String abTestWords(CampaignRequest definition) {
		CampaignRequest.AbTest test = definition.abTest();
		if (test == null) {
			return null;
		}
		List<String> variants = test.variants()
			.stream()
			.map((v) -> "variant " + v.name() + " (template version " + v.templateVersion() + ") to " + v.share()
					+ " % of them")
			.toList();
		String rest = (test.testPercent() < 100) ? "goes to the other " + (100 - test.testPercent()) + " %"
				: "is recorded as the winner";
		return "First an A/B test on " + test.testPercent() + " % of the recipients: " + join(variants) + ". After "
				+ hours(test.winner().after()) + " the variant with the best " + rate(test.winner().metric()) + " "
				+ rest + ".";
	}

	/**
	 * "3 days after the step before, to those who did not open it: a follow-up by email
	 * with template reminder." One sentence per step.
	 */
	static List<String> followUpWords(CampaignRequest definition) {
		List<String> words = new ArrayList<>();
		for (CampaignRequest.Step step : definition.stepsOrEmpty()) {
			long days = step.after().toDays();
			String when = (step.after().toHours() % 24 != 0) ? hours(step.after())
					: days + ((days == 1) ? " day" : " days");
			String whom = switch ((step.unless() != null) ? step.unless() : CampaignRequest.Metric.RESPONDED) {
				case OPENED -> "those who did not open it";
				case CLICKED -> "those who did not click in it";
				case RESPONDED ->
					(step.unless() != null) ? "those who did not respond to it" : "everyone it was sent to";
			};
			words.add(when + " after the step before, to " + whom + ": a follow-up "
					+ ((step.channel() != null) ? "by " + step.channel().name().toLowerCase(Locale.ROOT)
							: "on each customer's preferred channel")
					+ " with template " + ((step.template() != null) ? step.template() : definition.template()) + ".");
		}
		return words;
	}

	private static String hours(Duration duration) {
		long hours = duration.toHours();
		return hours + ((hours == 1) ? " hour" : " hours");
	}

	private static String rate(CampaignRequest.Metric metric) {
		return switch (metric) {
			case OPENED -> "open rate";
			case CLICKED -> "click rate";
			case RESPONDED -> "response rate";
		};
	}

	private static String join(List<String> parts) {
		return (parts.size() < 2) ? String.join("", parts)
				: String.join(", ", parts.subList(0, parts.size() - 1)) + " and " + parts.get(parts.size() - 1);
	}

	private static String noun(Channel channel, long count) {
		String noun = switch (channel) {
			case EMAIL -> "email";
			case SMS -> "text message";
			case PRINT -> "letter";
			case PORTAL -> "portal message";
		};
		return (count == 1) ? noun : noun + "s";
	}

	static String schedule(CampaignRequest definition) {
		CampaignRequest.Schedule schedule = definition.schedule();
		return switch (schedule.kind()) {
			case NOW -> "starting as soon as it is launched";
			case AT -> "starting " + ((schedule.at() != null) ? AT.format(schedule.at()) : "at the time set");
			case LOCAL_WINDOW -> "starting at " + schedule.windowStart() + " in each customer's time zone"
					+ ((schedule.windowEnd() != null) ? " and sent only until " + schedule.windowEnd() : "");
		};
	}

	static String throttle(CampaignRequest definition) {
		StringBuilder text = new StringBuilder(
				String.format(Locale.UK, "at most %,d per second", definition.throttle().perSecond()));
		definition.throttle()
			.perChannelOrEmpty()
			.forEach((channel, rate) -> text.append(String.format(Locale.UK, " (%s at most %,d per second)",
					channel.name().toLowerCase(Locale.ROOT), rate)));
		if (definition.pilot() != null && definition.pilot().percent() != null) {
			text.append(", a pilot of ").append(definition.pilot().percent()).append(" % first");
		}
		return text.toString();
	}

	/**
	 * Sends the campaign's content to one customer record (the staff member's own), now,
	 * through the normal send: what arrives is what recipients will get.
	 */
	@PostMapping("/admin/campaigns/{id}/test")
	String test(@PathVariable UUID id, @RequestParam(name = "customer", defaultValue = "") String customer,
			@RequestParam(name = "channel", defaultValue = "") String channel, @Nullable Principal principal,
			HttpServletRequest request, HttpServletResponse response, Model model, RedirectAttributes redirect) {
		StaffRoles.requireCampaigner(request);
		Campaign campaign = draft(id);
		CampaignRequest d = campaign.definition();
		Map<String, String> problems = new LinkedHashMap<>();
		Channel chosen = null;
		try {
			chosen = Channel.valueOf(channel);
		}
		catch (IllegalArgumentException ex) {
			problems.put("test-channel", "Choose the channel of the test");
		}
		if (customer.isBlank()) {
			problems.put("test-customer", "Enter the customer ID the test goes to");
		}
		if (problems.isEmpty()) {
			String who = (principal != null) ? principal.getName() : "anonymous";
			try {
				Acceptance accepted = this.communications.accept(
						new SendRequest(customer.strip(), d.template(), d.purpose(), d.dataOrEmpty(), List.of(chosen)),
						"campaign-test:" + id + ":" + UUID.randomUUID(), "staff:" + who);
				tested(request.getSession()).add(id);
				redirect.addFlashAttribute("notice",
						"A test is on its way to " + customer.strip() + " by " + chosen.name().toLowerCase(Locale.ROOT)
								+ " (communication " + accepted.communicationId() + ").");
				return "redirect:/admin/campaigns/" + id + "/review";
			}
			catch (UnknownCustomerException ex) {
				problems.put("test-customer", "There is no customer " + customer.strip());
			}
			catch (InvalidTemplateDataException | UnknownTemplateException ex) {
				problems.put("test-channel", "The template cannot be sent: " + ex.getMessage());
			}
		}
		response.setStatus(422);
		model.addAttribute("testForm", Map.of("customer", customer, "channel", channel));
		return reviewPage(campaign, problems, request.getSession(), model);
	}

	@PostMapping("/admin/campaigns/{id}/launch")
	String launch(@PathVariable UUID id, HttpServletRequest request, HttpServletResponse response, Model model,
			RedirectAttributes redirect) {
		StaffRoles.requireCampaigner(request);
		Campaign campaign = draft(id);
		try {
			this.campaigns.launch(id);
			redirect.addFlashAttribute("notice", "The campaign is launched.");
			return "redirect:/admin/campaigns/" + id;
		}
		catch (CampaignStateException ex) {
			redirect.addFlashAttribute("problem", "The campaign was launched before.");
			return "redirect:/admin/campaigns/" + id;
		}
		catch (InvalidCampaignException ex) {
			Map<String, String> problems = new LinkedHashMap<>();
			ex.problems().forEach((path, message) -> problems.put(field(path), label(path) + ": " + message));
			response.setStatus(422);
			return reviewPage(campaign, problems, request.getSession(), model);
		}
	}

}
