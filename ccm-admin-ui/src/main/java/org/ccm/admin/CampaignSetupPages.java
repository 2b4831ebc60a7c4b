package org.ccm.admin;

import java.security.Principal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

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
import org.ccm.templates.Templates;
import org.ccm.templates.UnknownTemplateException;
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
	public record Form(String name, String segment, String template, String purpose, String scheduleKind, String at,
			String windowStart, String windowEnd, String perSecond, Map<String, String> perChannel, String data,
			String pilotPercent) {

		static Form empty() {
			return new Form("", "", "", "MARKETING", "NOW", "", "09:00", "17:00", "50", Map.of(), "", "");
		}

		static Form of(CampaignRequest request, JsonMapper json) {
			Map<String, String> perChannel = new LinkedHashMap<>();
			request.throttle()
				.perChannelOrEmpty()
				.forEach((channel, rate) -> perChannel.put(channel.name(), "" + rate));
			CampaignRequest.Schedule schedule = request.schedule();
			return new Form(request.name(), request.segment(), request.template(), request.purpose().name(),
					schedule.kind().name(),
					(schedule.at() != null) ? LocalDateTime.ofInstant(schedule.at(), ZoneOffset.UTC).toString() : "",
					(schedule.windowStart() != null) ? schedule.windowStart().toString() : "09:00",
					(schedule.windowEnd() != null) ? schedule.windowEnd().toString() : "17:00",
					"" + request.throttle().perSecond(), perChannel,
					request.dataOrEmpty().isEmpty() ? "" : json.writeValueAsString(request.dataOrEmpty()),
					(request.pilot() != null && request.pilot().percent() != null) ? "" + request.pilot().percent()
							: "");
		}

		public String rate(String channel) {
			return this.perChannel.getOrDefault(channel, "");
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
		model.addAttribute("channels", Channel.values());
		model.addAttribute("tasks", List.of(
				new Task("Choose the audience", "#audience-heading", status(form.segment(), problems, "segment")),
				new Task("Choose the content", "#content-heading", status(form.template(), problems, "template")),
				new Task("Set the schedule", "#schedule-heading", status(form.scheduleKind(), problems, "at")),
				new Task("Set the speed", "#throttle-heading", status(form.perSecond(), problems, "perSecond")),
				new Task("Send a test to yourself", "#", "Cannot start yet"),
				new Task("Review and launch", "#", "Cannot start yet")));
		return "admin/campaign-new";
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
		Form form = new Form(value(params, "name"), value(params, "segment"), value(params, "template"),
				value(params, "purpose"), value(params, "scheduleKind"), value(params, "at"),
				value(params, "windowStart"), value(params, "windowEnd"), value(params, "perSecond"), perChannel,
				value(params, "data"), value(params, "pilotPercent"));
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

	private static final List<String> FIELDS = List.of("name", "segment", "template", "purpose", "data", "scheduleKind",
			"at", "windowStart", "windowEnd", "perSecond", "perChannel-EMAIL", "perChannel-SMS", "perChannel-PRINT",
			"perChannel-PORTAL", "pilotPercent");

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

	private static String label(String path) {
		return switch (field(path)) {
			case "name" -> "Name";
			case "segment" -> "Segment";
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
		if (!problems.isEmpty() || purpose == null || kind == null || perSecond == null) {
			return null;
		}
		return new CampaignRequest(form.name(), form.segment(), form.template(), purpose, data,
				new CampaignRequest.Schedule(kind, at, windowStart, windowEnd),
				new CampaignRequest.Throttle(perSecond, perChannel.isEmpty() ? null : perChannel),
				(pilot != null) ? new CampaignRequest.Pilot(pilot, null, null) : null, null, null);
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
		return what + ", " + schedule(definition) + ", " + throttle(definition) + ".";
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
