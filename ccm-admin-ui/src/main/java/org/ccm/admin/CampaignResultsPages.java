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
import java.util.TreeMap;
import java.util.TreeSet;
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
 * per step, variant and channel with machine opens and scanner clicks beside people's,
 * the same stages over time as charts (uPlot, served from the application: every stage
 * together, and each stage per step, variant and channel) with the figures in a table
 * beside each, a comparison of two campaigns, and CSV exports.
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
	 * The funnel of one group of recipients with each stage's rate of those sent, and the
	 * machine opens and scanner clicks tracking counted apart.
	 */
	public record Funnel(String label, long sent, long delivered, long opened, long clicked, long responded,
			long machineOpens, long machineClicks) {

		static Funnel of(String label, List<CampaignResults.Funnel> funnels) {
			return new Funnel(label, funnels.stream().mapToLong(CampaignResults.Funnel::sent).sum(),
					funnels.stream().mapToLong(CampaignResults.Funnel::delivered).sum(),
					funnels.stream().mapToLong(CampaignResults.Funnel::opened).sum(),
					funnels.stream().mapToLong(CampaignResults.Funnel::clicked).sum(),
					funnels.stream().mapToLong(CampaignResults.Funnel::responded).sum(),
					funnels.stream().mapToLong(CampaignResults.Funnel::machineOpens).sum(),
					funnels.stream().mapToLong(CampaignResults.Funnel::machineClicks).sum());
		}

		public String rate(long stage) {
			return CampaignPages.percent(stage, this.sent);
		}

	}

	/** Every group's recipients reaching each stage in one period. */
	public record Period(Instant at, long sent, long delivered, long opened, long clicked, long responded) {

	}

	/**
	 * One stage over time with a series per step, variant and channel: the chart's JSON
	 * and the same figures as table rows, one value per group.
	 */
	public record StageChart(String id, String stage, List<String> groups, List<StageRow> rows, String chart) {

	}

	/** A period's figures of one stage, in the order of the chart's groups. */
	public record StageRow(Instant at, List<Long> values) {

	}

	/** A campaign's results as the pages show them. */
	public record Results(Campaign campaign, Funnel total, List<Funnel> groups, List<Period> moments, String unit,
			String chart, List<StageChart> stages) {

		public boolean machineTraffic() {
			return this.total.machineOpens() + this.total.machineClicks() > 0;
		}

	}

	private static final List<String> STAGES = List.of("Sent", "Delivered", "Opened", "Clicked", "Responded");

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
			groups.add(Funnel.of(label(funnel.step(), funnel.variant(), funnel.channel()), List.of(funnel)));
		}
		ChronoUnit unit = unit(campaign);
		List<CampaignResults.Moment> moments = this.campaigns.timeline(id, unit);
		List<Period> periods = periods(moments);
		String per = unit.name().toLowerCase(Locale.ROOT).replaceAll("s$", "");
		return new Results(campaign, Funnel.of("All recipients", funnels), groups, periods,
				unit.name().toLowerCase(Locale.ROOT), chart(periods, per), stages(moments, per));
	}

	static String label(int step, @Nullable String variant, String channel) {
		return "Step " + step + ((variant != null) ? ", variant " + variant : "") + ", " + channel;
	}

	/** The groups' moments added up per period. */
	private static List<Period> periods(List<CampaignResults.Moment> moments) {
		Map<Instant, long[]> sums = new TreeMap<>();
		for (CampaignResults.Moment m : moments) {
			long[] sum = sums.computeIfAbsent(m.at(), (at) -> new long[STAGES.size()]);
			long[] values = values(m);
			for (int i = 0; i < values.length; i++) {
				sum[i] += values[i];
			}
		}
		List<Period> periods = new ArrayList<>();
		sums.forEach((at, v) -> periods.add(new Period(at, v[0], v[1], v[2], v[3], v[4])));
		return periods;
	}

	private static long[] values(CampaignResults.Moment m) {
		return new long[] { m.sent(), m.delivered(), m.opened(), m.clicked(), m.responded() };
	}

	/** Minutes for a campaign of a few hours, hours for a week, days beyond. */
	static ChronoUnit unit(Campaign campaign) {
		Instant from = (campaign.launchedAt() != null) ? campaign.launchedAt() : campaign.createdAt();
		Instant to = (campaign.finishedAt() != null) ? campaign.finishedAt() : Instant.now();
		Duration span = Duration.between(from, to);
		return (span.compareTo(Duration.ofHours(3)) <= 0) ? ChronoUnit.MINUTES
				: (span.compareTo(Duration.ofDays(7)) <= 0) ? ChronoUnit.HOURS : ChronoUnit.DAYS;
	}

	private String chart(List<Period> periods, String per) {
		Map<String, Object> chart = new LinkedHashMap<>();
		chart.put("x", periods.stream().map((m) -> m.at().getEpochSecond()).toList());
		chart.put("unit", "recipients per " + per);
		chart.put("series",
				List.of(series("Sent", periods.stream().map(Period::sent).toList()),
						series("Delivered", periods.stream().map(Period::delivered).toList()),
						series("Opened", periods.stream().map(Period::opened).toList()),
						series("Clicked", periods.stream().map(Period::clicked).toList()),
						series("Responded", periods.stream().map(Period::responded).toList())));
		return this.json.writeValueAsString(chart);
	}

	/**
	 * A chart per stage with a series per step, variant and channel; none when there is
	 * only one group (the chart of every stage says it all).
	 */
	private List<StageChart> stages(List<CampaignResults.Moment> moments, String per) {
		Map<String, Map<Instant, long[]>> byGroup = new TreeMap<>();
		TreeSet<Instant> ats = new TreeSet<>();
		for (CampaignResults.Moment m : moments) {
			byGroup.computeIfAbsent(label(m.step(), m.variant(), m.channel()), (g) -> new TreeMap<>())
				.put(m.at(), values(m));
			ats.add(m.at());
		}
		if (byGroup.size() < 2) {
			return List.of();
		}
		List<String> groups = new ArrayList<>(byGroup.keySet());
		List<StageChart> charts = new ArrayList<>();
		for (int stage = 0; stage < STAGES.size(); stage++) {
			int index = stage;
			List<StageRow> rows = new ArrayList<>();
			for (Instant at : ats) {
				rows.add(new StageRow(at, groups.stream().map((group) -> {
					long[] values = byGroup.get(group).get(at);
					return (values != null) ? values[index] : 0L;
				}).toList()));
			}
			Map<String, Object> chart = new LinkedHashMap<>();
			chart.put("x", ats.stream().map(Instant::getEpochSecond).toList());
			chart.put("unit", STAGES.get(stage).toLowerCase(Locale.ROOT) + " per " + per);
			List<Map<String, Object>> series = new ArrayList<>();
			for (int g = 0; g < groups.size(); g++) {
				int column = g;
				series.add(series(groups.get(g), rows.stream().map((row) -> row.values().get(column)).toList()));
			}
			chart.put("series", series);
			charts.add(new StageChart("stage-" + STAGES.get(stage).toLowerCase(Locale.ROOT), STAGES.get(stage), groups,
					rows, this.json.writeValueAsString(chart)));
		}
		return charts;
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
	 * The funnel per group with machine opens and scanner clicks, and each group's stages
	 * over time, as CSV.
	 */
	@GetMapping("/admin/campaigns/{id}/results.csv")
	void csv(@PathVariable UUID id, HttpServletRequest request, HttpServletResponse response) throws IOException {
		StaffRoles.requireCampaigner(request);
		Campaign campaign = this.campaigns.find(id)
			.orElseThrow(() -> new PageNotFoundException("There is no campaign " + id + "."));
		response.setContentType("text/csv;charset=UTF-8");
		response.setHeader("Content-Disposition", "attachment; filename=\"campaign-" + id + "-results.csv\"");
		Writer out = new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8);
		try (CSVPrinter csv = new CSVPrinter(out,
				CSVFormat.DEFAULT.builder()
					.setHeader("step", "variant", "channel", "period", "sent", "delivered", "opened", "clicked",
							"responded", "machine_opens", "scanner_clicks")
					.get())) {
			for (CampaignResults.Funnel f : this.campaigns.results(id).funnels()) {
				csv.printRecord(f.step(), (f.variant() != null) ? f.variant() : "", f.channel(), "all", f.sent(),
						f.delivered(), f.opened(), f.clicked(), f.responded(), f.machineOpens(), f.machineClicks());
			}
			for (CampaignResults.Moment m : this.campaigns.timeline(id, unit(campaign))) {
				csv.printRecord(m.step(), (m.variant() != null) ? m.variant() : "", m.channel(), m.at(), m.sent(),
						m.delivered(), m.opened(), m.clicked(), m.responded(), "", "");
			}
		}
	}

}
