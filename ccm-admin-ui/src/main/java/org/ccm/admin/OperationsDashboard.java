package org.ccm.admin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import jakarta.servlet.http.HttpServletRequest;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.ccm.campaigns.CampaignState;
import org.ccm.campaigns.Campaigns;
import org.ccm.core.CustomerImports;
import org.ccm.delivery.Communications;
import org.ccm.delivery.DeadLetters;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

import tools.jackson.databind.json.JsonMapper;

/**
 * The operations dashboard: messages per channel per minute and their failure rate (from
 * delivery's records of sends and failed attempts, so every instance's work) (flagged
 * above a configured share, linked to the failed deliveries in plain words), provider
 * health, Kafka consumer lag per topic, dead letters, today's print batches, running
 * imports and campaigns. Every figure comes from the platform's own meters or tables, and
 * the page says over which time range.
 */
@Controller
@EnableConfigurationProperties(OperationsProperties.class)
class OperationsDashboard {

	static final int DEAD_LETTERS_COUNTED = 1000;

	private final MessageRates rates;

	private final KafkaLag kafkaLag;

	private final @Nullable MeterRegistry registry;

	private final Communications communications;

	private final DeadLetters deadLetters;

	private final CustomerImports imports;

	private final Campaigns campaigns;

	private final OperationsProperties properties;

	private final JsonMapper json;

	private final Clock clock = Clock.systemUTC();

	OperationsDashboard(MessageRates rates, KafkaLag kafkaLag, ObjectProvider<MeterRegistry> registry,
			Communications communications, DeadLetters deadLetters, CustomerImports imports, Campaigns campaigns,
			OperationsProperties properties, JsonMapper json) {
		this.rates = rates;
		this.kafkaLag = kafkaLag;
		this.registry = registry.getIfAvailable();
		this.communications = communications;
		this.deadLetters = deadLetters;
		this.imports = imports;
		this.campaigns = campaigns;
		this.properties = properties;
		this.json = json;
	}

	/**
	 * One channel's messages over the window.
	 */
	public record ChannelFigures(String channel, long lastInterval, long sent, long failed, boolean warning) {

		public String failureRate() {
			return CampaignPages.percent(this.failed, this.sent + this.failed);
		}

	}

	/**
	 * A provider's health since this instance started: attempts, failures and how long
	 * handing a message over took.
	 */
	public record ProviderHealth(String channel, String provider, long succeeded, long failed, double meanMillis,
			double maxMillis) {

		public String errorRate() {
			return CampaignPages.percent(this.failed, this.succeeded + this.failed);
		}

		public String mean() {
			return String.format(Locale.ROOT, "%.1f ms", this.meanMillis);
		}

		public String max() {
			return String.format(Locale.ROOT, "%.1f ms", this.maxMillis);
		}

	}

	@GetMapping("/admin/operations")
	String dashboard(HttpServletRequest request, Model model) {
		StaffRoles.requireOperator(request);
		figures(model);
		return "admin/operations";
	}

	/**
	 * The figures alone, refreshed by the page.
	 */
	@GetMapping("/admin/operations/figures")
	String figures(HttpServletRequest request, Model model) {
		StaffRoles.requireOperator(request);
		figures(model);
		return "admin/operations :: figures";
	}

	private void figures(Model model) {
		Instant now = this.clock.instant();
		List<MessageRates.Interval> intervals = this.rates.intervals();
		Instant windowStart = now.minus(this.properties.window());
		List<MessageRates.Interval> shown = intervals.stream().filter((i) -> !i.to().isBefore(windowStart)).toList();
		TreeSet<String> channels = new TreeSet<>(List.of("email", "sms", "print", "portal"));
		shown.forEach((i) -> channels.addAll(i.sent().keySet()));
		List<ChannelFigures> figures = new ArrayList<>();
		for (String channel : channels) {
			long sent = shown.stream().mapToLong((i) -> i.sent().getOrDefault(channel, 0L)).sum();
			long failed = shown.stream().mapToLong((i) -> i.failed().getOrDefault(channel, 0L)).sum();
			// the current minute is still counting: show the last complete one
			long last = (shown.size() < 2) ? 0 : shown.get(shown.size() - 2).sent().getOrDefault(channel, 0L);
			boolean warning = (sent + failed) > 0
					&& failed * 100.0 / (sent + failed) > this.properties.failureWarningPercent();
			figures.add(new ChannelFigures(channel, last, sent, failed, warning));
		}
		model.addAttribute("now", now);
		model.addAttribute("windowStart", shown.isEmpty() ? now : shown.get(0).from());
		model.addAttribute("channels", figures);
		model.addAttribute("warningPercent", this.properties.failureWarningPercent());
		model.addAttribute("chart", chart(shown, channels));
		model.addAttribute("providers", providers());
		try {
			model.addAttribute("lags", this.kafkaLag.lags());
		}
		catch (Exception ex) {
			model.addAttribute("lagProblem", "Kafka did not answer within " + this.properties.kafkaTimeout().toSeconds()
					+ " s: " + ex.getClass().getSimpleName());
		}
		int letters = this.deadLetters.list(DEAD_LETTERS_COUNTED).size();
		model.addAttribute("deadLetters", letters);
		model.addAttribute("deadLettersCapped", letters >= DEAD_LETTERS_COUNTED);
		LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
		model.addAttribute("today", today);
		model.addAttribute("printBatches", this.communications.printBatches(today));
		model.addAttribute("imports", this.imports.running());
		model.addAttribute("running", this.campaigns.list(CampaignState.RUNNING, null, null, 0, 20).items());
		Instant failuresSince = now.minus(this.properties.failuresSince());
		model.addAttribute("failuresSince", failuresSince);
		model.addAttribute("failureCount", this.communications.failures(failuresSince, 1000).size());
	}

	private String chart(List<MessageRates.Interval> intervals, TreeSet<String> channels) {
		Map<String, Object> chart = new LinkedHashMap<>();
		chart.put("x", intervals.stream().map((i) -> i.to().getEpochSecond()).toList());
		chart.put("unit", "messages sent");
		List<Map<String, Object>> series = new ArrayList<>();
		for (String channel : channels) {
			series.add(Map.of("label", channel, "values",
					intervals.stream().map((i) -> i.sent().getOrDefault(channel, 0L)).toList()));
		}
		chart.put("series", series);
		return this.json.writeValueAsString(chart);
	}

	private List<ProviderHealth> providers() {
		if (this.registry == null) {
			return List.of();
		}
		Map<String, double[]> byProvider = new TreeMap<>();
		for (Timer timer : this.registry.find("ccm.messages.provider").timers()) {
			String key = timer.getId().getTag("channel") + " " + timer.getId().getTag("provider");
			double[] figures = byProvider.computeIfAbsent(key, (k) -> new double[4]);
			boolean success = "success".equals(timer.getId().getTag("outcome"));
			figures[success ? 0 : 1] += timer.count();
			figures[2] += timer.totalTime(TimeUnit.MILLISECONDS);
			figures[3] = Math.max(figures[3], timer.max(TimeUnit.MILLISECONDS));
		}
		List<ProviderHealth> health = new ArrayList<>();
		byProvider.forEach((key, f) -> {
			String[] parts = key.split(" ", 2);
			long attempts = (long) (f[0] + f[1]);
			health.add(new ProviderHealth(parts[0], parts[1], (long) f[0], (long) f[1],
					(attempts > 0) ? f[2] / attempts : 0, f[3]));
		});
		return health;
	}

	/**
	 * The deliveries that failed for good, with their reasons in plain words.
	 */
	@GetMapping("/admin/operations/failures")
	String failures(HttpServletRequest request, Model model) {
		StaffRoles.requireOperator(request);
		Instant since = this.clock.instant().minus(this.properties.failuresSince());
		List<Failure> failures = this.communications.failures(since, this.properties.failuresShown())
			.stream()
			.map((f) -> new Failure(f, plainWords(f.reason())))
			.toList();
		model.addAttribute("since", since);
		model.addAttribute("failures", failures);
		return "admin/operations-failures";
	}

	public record Failure(Communications.Failure failure, String explanation) {

	}

	/**
	 * What a provider's or worker's reason means, and what to do about it.
	 */
	static String plainWords(@Nullable String reason) {
		String text = (reason != null) ? reason.toLowerCase(Locale.ROOT) : "";
		if (text.isBlank()) {
			return "No reason was recorded.";
		}
		if (text.contains("5.1.1") || text.contains("user unknown") || text.contains("no such user")
				|| text.contains("does not exist")) {
			return "The email address does not exist: ask the customer for a new one.";
		}
		if (text.contains("mailbox full") || text.contains("5.2.2") || text.contains("quota")) {
			return "The customer's mailbox is full.";
		}
		if (text.contains("connect") || text.contains("timed out") || text.contains("timeout")
				|| text.contains("unreachable")) {
			return "The provider could not be reached: check the connection to it, then replay.";
		}
		if (text.contains("auth") || text.contains("401") || text.contains("403") || text.contains("credential")) {
			return "The provider refused our credentials: check the account settings.";
		}
		if (text.contains("invalid") && (text.contains("phone") || text.contains("number") || text.contains("to"))) {
			return "The phone number is not valid for text messages.";
		}
		if (text.contains("consent") || text.contains("unsubscribed") || text.contains("suppress")) {
			return "The customer does not want messages on this channel.";
		}
		if (text.contains("compos") || text.contains("template") || text.contains("render")) {
			return "The document could not be produced from its template: check the template and its data.";
		}
		if (text.contains("spam") || text.contains("blocked") || text.contains("reject") || text.contains("5.7")) {
			return "The receiving server refused the message as unwanted.";
		}
		return "The provider refused the message; the reason it gave is shown beside.";
	}

}
