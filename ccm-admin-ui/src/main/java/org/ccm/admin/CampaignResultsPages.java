package org.ccm.admin;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
import org.ccm.campaigns.CampaignResults;
import org.ccm.campaigns.CampaignState;
import org.ccm.campaigns.Campaigns;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

import tools.jackson.databind.json.JsonMapper;

/**
 * What a campaign achieved: the funnel sent → delivered → opened → clicked → responded
 * per step, variant and channel, the same stages over time as a chart (uPlot, served from
 * the application) with the figures in a table beside it, a comparison of two campaigns,
 * and CSV exports.
 */
@Controller
class CampaignResultsPages {

	private final Campaigns campaigns;

	private final JsonMapper json;

	CampaignResultsPages(Campaigns campaigns, JsonMapper json) {
		this.campaigns = campaigns;
		this.json = json;
	}

	/**
	 * The funnel of one group of recipients with each stage's rate of those sent.
	 */
	public record Funnel(String label, long sent, long delivered, long opened, long clicked, long responded) {

		static Funnel of(String label, List<CampaignResults.Funnel> funnels) {
			return new Funnel(label, funnels.stream().mapToLong(CampaignResults.Funnel::sent).sum(),
					funnels.stream().mapToLong(CampaignResults.Funnel::delivered).sum(),
					funnels.stream().mapToLong(CampaignResults.Funnel::opened).sum(),
					funnels.stream().mapToLong(CampaignResults.Funnel::clicked).sum(),
					funnels.stream().mapToLong(CampaignResults.Funnel::responded).sum());
		}

		public String rate(long stage) {
			return CampaignPages.percent(stage, this.sent);
		}

	}

	/** A campaign's results as the pages show them. */
	public record Results(Campaign campaign, Funnel total, List<Funnel> groups, List<CampaignResults.Moment> moments,
			String unit, String chart) {

	}

	@GetMapping("/admin/campaigns/{id}/results")
	String results(@PathVariable UUID id, HttpServletRequest request, Model model) {
		StaffRoles.requireCampaigner(request);
		model.addAttribute("results", results(id));
		model.addAttribute("others", others(id));
		return "admin/campaign-results";
	}

	Results results(UUID id) {
		Campaign campaign = this.campaigns.find(id)
			.orElseThrow(() -> new PageNotFoundException("There is no campaign " + id + "."));
		List<CampaignResults.Funnel> funnels = this.campaigns.results(id).funnels();
		List<Funnel> groups = new ArrayList<>();
		for (CampaignResults.Funnel funnel : funnels) {
			String label = "Step " + funnel.step() + ((funnel.variant() != null) ? ", variant " + funnel.variant() : "")
					+ ", " + funnel.channel();
			groups.add(Funnel.of(label, List.of(funnel)));
		}
		ChronoUnit unit = unit(campaign);
		List<CampaignResults.Moment> moments = this.campaigns.timeline(id, unit);
		return new Results(campaign, Funnel.of("All recipients", funnels), groups, moments,
				unit.name().toLowerCase(Locale.ROOT), chart(moments, unit));
	}

	/** Minutes for a campaign of a few hours, hours for a week, days beyond. */
	static ChronoUnit unit(Campaign campaign) {
		Instant from = (campaign.launchedAt() != null) ? campaign.launchedAt() : campaign.createdAt();
		Instant to = (campaign.finishedAt() != null) ? campaign.finishedAt() : Instant.now();
		Duration span = Duration.between(from, to);
		return (span.compareTo(Duration.ofHours(3)) <= 0) ? ChronoUnit.MINUTES
				: (span.compareTo(Duration.ofDays(7)) <= 0) ? ChronoUnit.HOURS : ChronoUnit.DAYS;
	}

	private String chart(List<CampaignResults.Moment> moments, ChronoUnit unit) {
		Map<String, Object> chart = new LinkedHashMap<>();
		chart.put("x", moments.stream().map((m) -> m.at().getEpochSecond()).toList());
		chart.put("unit", "recipients per " + unit.name().toLowerCase(Locale.ROOT).replaceAll("s$", ""));
		chart.put("series",
				List.of(series("Sent", moments.stream().map(CampaignResults.Moment::sent).toList()),
						series("Delivered", moments.stream().map(CampaignResults.Moment::delivered).toList()),
						series("Opened", moments.stream().map(CampaignResults.Moment::opened).toList()),
						series("Clicked", moments.stream().map(CampaignResults.Moment::clicked).toList()),
						series("Responded", moments.stream().map(CampaignResults.Moment::responded).toList())));
		return this.json.writeValueAsString(chart);
	}

	private static Map<String, Object> series(String label, List<Long> values) {
		return Map.of("label", label, "values", values);
	}

	private List<Campaign> others(UUID id) {
		return this.campaigns.list(0, 100)
			.items()
			.stream()
			.filter((c) -> !c.id().equals(id) && c.state() != CampaignState.DRAFT)
			.toList();
	}

	/**
	 * Two campaigns' funnels side by side.
	 */
	@GetMapping("/admin/campaigns/compare")
	String compare(@RequestParam(name = "a") UUID a, @RequestParam(name = "b", required = false) @Nullable UUID b,
			HttpServletRequest request, HttpServletResponse response, Model model) {
		StaffRoles.requireCampaigner(request);
		Results first = results(a);
		model.addAttribute("first", first);
		model.addAttribute("others", others(a));
		if (b == null) {
			response.setStatus(422);
			model.addAttribute("problem", "Choose the campaign to compare with");
			return "admin/campaign-compare";
		}
		model.addAttribute("second", results(b));
		return "admin/campaign-compare";
	}

	/**
	 * The funnel per group and the stages over time, as CSV.
	 */
	@GetMapping("/admin/campaigns/{id}/results.csv")
	void csv(@PathVariable UUID id, HttpServletRequest request, HttpServletResponse response) throws IOException {
		StaffRoles.requireCampaigner(request);
		Results results = results(id);
		response.setContentType("text/csv;charset=UTF-8");
		response.setHeader("Content-Disposition", "attachment; filename=\"campaign-" + id + "-results.csv\"");
		Writer out = new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8);
		try (CSVPrinter csv = new CSVPrinter(out,
				CSVFormat.DEFAULT.builder()
					.setHeader("step", "variant", "channel", "period", "sent", "delivered", "opened", "clicked",
							"responded")
					.get())) {
			for (CampaignResults.Funnel f : this.campaigns.results(id).funnels()) {
				csv.printRecord(f.step(), (f.variant() != null) ? f.variant() : "", f.channel(), "all", f.sent(),
						f.delivered(), f.opened(), f.clicked(), f.responded());
			}
			for (CampaignResults.Moment m : results.moments()) {
				csv.printRecord("", "", "", m.at(), m.sent(), m.delivered(), m.opened(), m.clicked(), m.responded());
			}
		}
	}

}
