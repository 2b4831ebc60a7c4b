package org.ccm.admin;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.ccm.campaigns.Campaign;
import org.ccm.campaigns.CampaignPage;
import org.ccm.campaigns.CampaignProgress;
import org.ccm.campaigns.CampaignResults;
import org.ccm.campaigns.CampaignState;
import org.ccm.campaigns.CampaignStateException;
import org.ccm.campaigns.Campaigns;
import org.ccm.campaigns.RecipientStatus;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The campaign list and the live campaign page: how far a campaign has got, how fast and
 * until when, what did not go out and why, and pause, resume and cancel. The live figures
 * refresh themselves every two seconds while the tab is visible, until every recipient
 * has a final status.
 */
@Controller
class CampaignPages {

	static final int PAGE_SIZE = 25;

	private final Campaigns campaigns;

	CampaignPages(Campaigns campaigns) {
		this.campaigns = campaigns;
	}

	/**
	 * A campaign in the list, with its figures at a glance.
	 */
	public record Row(Campaign campaign, Live live, long opened, long clicked) {

		public String openRate() {
			return percent(this.opened, this.live.progress().sent());
		}

		public String clickRate() {
			return percent(this.clicked, this.live.progress().sent());
		}

	}

	/**
	 * What the live page shows, in the words and numbers it shows them.
	 */
	public record Live(Campaign campaign, CampaignProgress progress, List<CampaignProgress.Unsent> unsent) {

		/** Every recipient has a final status and nothing more will start. */
		public boolean done() {
			return this.campaign.state().isOver() && this.progress.settled() >= this.progress.total();
		}

		/** Polling stops when done, and never starts for a draft. */
		public boolean polling() {
			return !done() && this.campaign.state() != CampaignState.DRAFT;
		}

		public int percentSent() {
			long total = this.progress.total();
			return (total == 0) ? 0 : (int) Math.min(100, this.progress.sent() * 100 / total);
		}

		public String rate() {
			return String.format(Locale.ROOT, "%.1f", this.progress.ratePerSecond());
		}

		public String eta() {
			Long seconds = this.progress.etaSeconds();
			if (done()) {
				return "finished";
			}
			if (seconds == null) {
				return (this.campaign.state() == CampaignState.PAUSED) ? "paused" : "not moving";
			}
			Duration left = Duration.ofSeconds(seconds);
			if (left.toHours() > 0) {
				return "about " + left.toHours() + " h " + left.toMinutesPart() + " min";
			}
			if (left.toMinutes() > 0) {
				return "about " + left.toMinutes() + " min " + left.toSecondsPart() + " s";
			}
			return "about " + seconds + " s";
		}

		public long unsentTotal() {
			return this.unsent.stream().mapToLong(CampaignProgress.Unsent::count).sum();
		}

		public List<StatusCount> statuses() {
			List<StatusCount> counts = new ArrayList<>();
			for (RecipientStatus status : RecipientStatus.values()) {
				long count = this.progress.byStatus().getOrDefault(status, 0L);
				if (count > 0) {
					counts.add(new StatusCount(status, count));
				}
			}
			return counts;
		}

		public List<String> channels() {
			return List.copyOf(this.progress.byChannel().keySet());
		}

		public long count(String channel, RecipientStatus status) {
			return this.progress.byChannel().getOrDefault(channel, Map.of()).getOrDefault(status, 0L);
		}

		public long sent(String channel) {
			return count(channel, RecipientStatus.SENT);
		}

		public long notSent(String channel) {
			return count(channel, RecipientStatus.SKIPPED) + count(channel, RecipientStatus.FAILED)
					+ count(channel, RecipientStatus.CANCELLED);
		}

		public long open(String channel) {
			return this.progress.byChannel()
				.getOrDefault(channel, Map.of())
				.entrySet()
				.stream()
				.filter((entry) -> !entry.getKey().isFinal())
				.mapToLong(Map.Entry::getValue)
				.sum();
		}

		public boolean pausable() {
			return this.campaign.state() == CampaignState.RUNNING || this.campaign.state() == CampaignState.SCHEDULED;
		}

		public boolean resumable() {
			return this.campaign.state() == CampaignState.PAUSED;
		}

		/** A pilot or A/B rest is held back and may be sent now. */
		public boolean releasable() {
			boolean holds = this.campaign.definition().pilot() != null || this.campaign.definition().abTest() != null;
			return holds && this.campaign.state() == CampaignState.RUNNING && this.campaign.releasedAt() == null;
		}

		public boolean cancellable() {
			return !this.campaign.state().isOver();
		}

	}

	public record StatusCount(RecipientStatus status, long count) {

		public String label() {
			return CampaignPages.label(this.status);
		}

	}

	/**
	 * The plain words the campaign pages use for states, statuses and settings
	 * ({@code ${labels.state(c.state)}}).
	 */
	public static final class Labels {

		static final Labels INSTANCE = new Labels();

		public String state(CampaignState state) {
			return label(state);
		}

		public String status(RecipientStatus status) {
			return label(status);
		}

		public String schedule(org.ccm.campaigns.CampaignRequest definition) {
			return CampaignSetupPages.schedule(definition);
		}

		public String throttle(org.ccm.campaigns.CampaignRequest definition) {
			return CampaignSetupPages.throttle(definition);
		}

	}

	@org.springframework.web.bind.annotation.ModelAttribute("labels")
	Labels labels() {
		return Labels.INSTANCE;
	}

	static String label(RecipientStatus status) {
		return switch (status) {
			case PENDING -> "Waiting to be sent";
			case HELD -> "Held back (pilot or A/B rest)";
			case QUEUED -> "Handed over";
			case ACCEPTED -> "Accepted by delivery";
			case DEFERRED -> "Deferred (quiet hours, frequency cap)";
			case SENT -> "Sent";
			case SKIPPED -> "Not sent: no consent, preference or contact point";
			case FAILED -> "Not sent: delivery failed";
			case CANCELLED -> "Not sent: cancelled";
		};
	}

	static String label(CampaignState state) {
		return switch (state) {
			case DRAFT -> "Draft";
			case SCHEDULED -> "Scheduled";
			case RUNNING -> "Running";
			case PAUSED -> "Paused";
			case CANCELLED -> "Cancelled";
			case FINISHED -> "Finished";
		};
	}

	static String percent(long part, long whole) {
		return (whole == 0) ? "–" : String.format(Locale.ROOT, "%.1f %%", part * 100.0 / whole);
	}

	@GetMapping("/admin/campaigns")
	String list(@RequestParam(name = "state", defaultValue = "") String state,
			@RequestParam(name = "from", defaultValue = "") String from,
			@RequestParam(name = "to", defaultValue = "") String to,
			@RequestParam(name = "page", defaultValue = "0") int page, HttpServletRequest request,
			HttpServletResponse response, Model model) {
		StaffRoles.requireCampaigner(request);
		Map<String, String> problems = new LinkedHashMap<>();
		CampaignState wanted = null;
		if (!state.isBlank()) {
			try {
				wanted = CampaignState.valueOf(state);
			}
			catch (IllegalArgumentException ex) {
				problems.put("state", "Choose a state from the list");
			}
		}
		LocalDate fromDate = date(from, "from", "From", problems);
		LocalDate toDate = date(to, "to", "To", problems);
		if (fromDate != null && toDate != null && toDate.isBefore(fromDate)) {
			problems.put("to", "To must be the same as or after from");
		}
		model.addAttribute("filter", Map.of("state", state, "from", from, "to", to));
		model.addAttribute("states", CampaignState.values());
		model.addAttribute("problems", problems);
		if (!problems.isEmpty()) {
			response.setStatus(422);
			model.addAttribute("rows", List.of());
			model.addAttribute("page", new CampaignPage(List.of(), 0, PAGE_SIZE, 0));
			return "admin/campaigns";
		}
		CampaignPage found = this.campaigns.list(wanted,
				(fromDate != null) ? fromDate.atStartOfDay(ZoneOffset.UTC).toInstant() : null,
				(toDate != null) ? toDate.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant() : null, page, PAGE_SIZE);
		List<Row> rows = new ArrayList<>();
		for (Campaign campaign : found.items()) {
			long opened = 0;
			long clicked = 0;
			if (campaign.state() != CampaignState.DRAFT) {
				for (CampaignResults.Funnel funnel : this.campaigns.results(campaign.id()).funnels()) {
					opened += funnel.opened();
					clicked += funnel.clicked();
				}
			}
			rows.add(new Row(campaign, live(campaign.id()), opened, clicked));
		}
		model.addAttribute("rows", rows);
		model.addAttribute("page", found);
		return "admin/campaigns";
	}

	private static @Nullable LocalDate date(String value, String field, String label, Map<String, String> problems) {
		if (value.isBlank()) {
			return null;
		}
		try {
			return LocalDate.parse(value.strip());
		}
		catch (DateTimeParseException ex) {
			problems.put(field, label + " must be a real date, like 2026-12-03");
			return null;
		}
	}

	@GetMapping("/admin/campaigns/{id}")
	String campaign(@PathVariable UUID id, HttpServletRequest request, Model model) {
		StaffRoles.requireCampaigner(request);
		model.addAttribute("live", live(id));
		return "admin/campaign";
	}

	/**
	 * The live figures alone, for the page to swap in; once done the fragment comes back
	 * without its trigger, so the polling stops.
	 */
	@GetMapping("/admin/campaigns/{id}/live")
	String liveFragment(@PathVariable UUID id, HttpServletRequest request, Model model) {
		StaffRoles.requireCampaigner(request);
		model.addAttribute("live", live(id));
		return "admin/campaign :: live";
	}

	Live live(UUID id) {
		Campaign campaign = this.campaigns.find(id)
			.orElseThrow(() -> new PageNotFoundException("There is no campaign " + id + "."));
		return new Live(campaign, this.campaigns.progress(id), this.campaigns.unsent(id));
	}

	@PostMapping("/admin/campaigns/{id}/pause")
	String pause(@PathVariable UUID id, HttpServletRequest request, RedirectAttributes redirect) {
		return act(id, "The campaign is paused.", "paused", request, redirect, () -> this.campaigns.pause(id));
	}

	@PostMapping("/admin/campaigns/{id}/resume")
	String resume(@PathVariable UUID id, HttpServletRequest request, RedirectAttributes redirect) {
		return act(id, "The campaign is resumed.", "resumed", request, redirect, () -> this.campaigns.resume(id));
	}

	@PostMapping("/admin/campaigns/{id}/release")
	String release(@PathVariable UUID id, HttpServletRequest request, RedirectAttributes redirect) {
		return act(id, "The held share is being sent.", "released", request, redirect,
				() -> this.campaigns.release(id));
	}

	/**
	 * Asks before cancelling: a cancelled campaign cannot be resumed.
	 */
	@GetMapping("/admin/campaigns/{id}/cancel")
	String confirmCancel(@PathVariable UUID id, HttpServletRequest request, Model model) {
		StaffRoles.requireCampaigner(request);
		model.addAttribute("live", live(id));
		return "admin/campaign-cancel";
	}

	@PostMapping("/admin/campaigns/{id}/cancel")
	String cancel(@PathVariable UUID id, @RequestParam(name = "confirm", defaultValue = "") String confirm,
			HttpServletRequest request, RedirectAttributes redirect) {
		StaffRoles.requireCampaigner(request);
		if (!"yes".equals(confirm)) {
			return "redirect:/admin/campaigns/" + id + "/cancel";
		}
		return act(id, "The campaign is cancelled.", "cancelled", request, redirect, () -> this.campaigns.cancel(id));
	}

	private String act(UUID id, String notice, String done, HttpServletRequest request, RedirectAttributes redirect,
			Runnable action) {
		StaffRoles.requireCampaigner(request);
		live(id);
		try {
			action.run();
			redirect.addFlashAttribute("notice", notice);
		}
		catch (CampaignStateException ex) {
			redirect.addFlashAttribute("problem", "Nothing changed: the campaign is "
					+ label(ex.state()).toLowerCase(Locale.ROOT) + " and cannot be " + done + " now.");
		}
		return "redirect:/admin/campaigns/" + id;
	}

	/**
	 * Everyone who ended without the communication, with the reason, as CSV.
	 */
	@GetMapping("/admin/campaigns/{id}/unsent.csv")
	void unsentCsv(@PathVariable UUID id, HttpServletRequest request, HttpServletResponse response) throws IOException {
		StaffRoles.requireCampaigner(request);
		live(id);
		response.setContentType("text/csv;charset=UTF-8");
		response.setHeader("Content-Disposition", "attachment; filename=\"campaign-" + id + "-not-sent.csv\"");
		Writer out = new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8);
		try (CSVPrinter csv = new CSVPrinter(out,
				CSVFormat.DEFAULT.builder().setHeader("step", "customer", "channel", "status", "reason").get())) {
			this.campaigns.forEachUnsent(id, (row) -> {
				try {
					csv.printRecord(row.step(), row.customer(), row.channel(), row.status(), row.reason());
				}
				catch (IOException ex) {
					throw new java.io.UncheckedIOException(ex);
				}
			});
		}
	}

}
