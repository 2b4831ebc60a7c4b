package org.ccm.bench.delivery;

import java.io.BufferedWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.ccm.bench.BenchPlatform;
import org.ccm.bench.PostgresStatements;
import org.ccm.bench.ProcessCpu;
import org.ccm.bench.templates.CompositionBenchmark;
import org.ccm.core.Channel;
import org.ccm.core.CustomerImports;
import org.ccm.core.ImportFormat;
import org.ccm.core.ImportJob;
import org.ccm.core.Purpose;
import org.ccm.core.SegmentRule;
import org.ccm.core.Segments;
import org.ccm.templates.Composition;
import org.ccm.templates.Compositions;
import org.ccm.templates.TemplateAuthoring;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import tools.jackson.databind.json.JsonMapper;

import static org.ccm.bench.delivery.SinkPlatform.loadAverage;
import static org.ccm.bench.delivery.SinkPlatform.log;
import static org.ccm.bench.delivery.SinkPlatform.patience;
import static org.ccm.bench.delivery.SinkPlatform.seconds;

/**
 * End to end for campaigns: for each size, that many customers (imported through the bulk
 * import, each with an email address, EMAIL preferred for marketing and marketing consent
 * on email), a segment that selects exactly them, and a marketing campaign of a published
 * email-only template, created and launched through {@code /api/v1/campaigns} with a
 * throttle that does not limit. Timed from the launch request until Postfix's
 * {@code smtp-sink} has counted every message and the campaign reports {@code FINISHED};
 * the sink's count must then equal the recipients (no message lost, none sent twice). In
 * the same run the raw limit: the plain Jakarta Mail loop over 8 reused connections
 * sending a prepared message of the same size to the same sink, with the machine CPU it
 * used per message, and what ratio (a)'s 0.7 x then leaves per message next to what
 * composing the campaign's email costs on one thread. Heap used is taken after a full
 * collection before and after each size. Progress is asked for every 2 s, as the campaign
 * page does ({@code -Dccm.bench.campaign.progress-every-ms}), and the time of its answers
 * reported.
 * <p>
 * Sizes: {@code -Dccm.bench.campaign.sizes=10000,30000 -Dccm.bench.raw=5000
 * -Dccm.bench.campaign.throttle=100000}. Run: {@code ccm-bench/run campaign} (see
 * {@code docs/benchmarks.md}). Needs {@code smtp-sink} ({@code apt-get install postfix}).
 */
public final class CampaignBenchmark {

	private static final String TEMPLATE = "bench-campaign";

	private static final JsonMapper json = JsonMapper.builder().build();

	private final SinkPlatform platform;

	private final ConfigurableApplicationContext app;

	private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

	private final List<String> rows = new ArrayList<>();

	private CampaignBenchmark(SinkPlatform platform) {
		this.platform = platform;
		this.app = platform.app();
	}

	public static void main(String[] args) throws Exception {
		int[] sizes = Arrays.stream(System.getProperty("ccm.bench.campaign.sizes", "10000").split(","))
			.map(String::trim)
			.mapToInt(Integer::parseInt)
			.toArray();
		int raw = Integer.getInteger("ccm.bench.raw", 5000);
		int warmup = Integer.getInteger("ccm.bench.warmup", 500);
		BenchPlatform.runAndExit(SinkPlatform.start(args, Map.of()),
				(platform) -> new CampaignBenchmark(platform).run(sizes, raw, warmup));
	}

	private void run(int[] sizes, int raw, int warmup) throws Exception {
		CompositionBenchmark.emailOnlyTemplate(this.app.getBean(TemplateAuthoring.class), TEMPLATE, Purpose.MARKETING);
		Compositions compositions = this.app.getBean(Compositions.class);
		Composition composition = new Composition(TEMPLATE, null, Channel.EMAIL, CompositionBenchmark.customer(),
				CompositionBenchmark.invoice());
		byte[] message = SinkPlatform.mime(compositions.compose(composition));
		SinkPlatform.RawLoop rawLoop = this.platform.rawLoop(message, raw);
		double rawRate = rawLoop.rate();
		String budget = budget(rawLoop, composingMillis(compositions, composition));
		log("raw SMTP loop, 8 connections, %,d-byte message: %,.0f msg/s; %s", message.length, rawRate, budget);
		if (warmup > 0) {
			log("warm-up campaign of %,d", warmup);
			campaign(warmup, rawRate, false);
		}
		double smallest = 0;
		List<double[]> perRecipient = new ArrayList<>();
		for (int size : sizes) {
			double seconds = campaign(size, rawRate, true);
			perRecipient.add(new double[] { size, seconds / size });
			if (smallest == 0) {
				smallest = seconds / size;
			}
		}
		System.out.println();
		System.out.printf(Locale.ROOT, "Raw SMTP loop, 8 connections, same %,d-byte message: %,.0f msg/s%n",
				message.length, rawRate);
		System.out.println(budget);
		System.out.println();
		System.out.println("| Recipients | Launch → sink has all | Launch → FINISHED | msg/s | / raw loop "
				+ "| ms per recipient (× smallest) | Heap after GC before → after | Sink count | CPU per message: JVM / PostgreSQL / machine "
				+ "| Progress: rate, ETA at 25 % / 50 % (actual rest) | Progress request p50 / max (requests) "
				+ "| Load average start → end |");
		System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
		for (int i = 0; i < this.rows.size(); i++) {
			double[] per = perRecipient.get(i);
			System.out.println(String.format(Locale.ROOT, this.rows.get(i), per[1] * 1000, per[1] / smallest));
		}
	}

	/**
	 * CPU of composing the campaign's email once and writing out its HTML, on one warm
	 * thread: what the worker does for every message before sending it (link tracking and
	 * MIME apart).
	 */
	private static double composingMillis(Compositions compositions, Composition composition) {
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		for (int i = 0; i < 2_000; i++) {
			compositions.compose(composition).html();
		}
		int measured = 3_000;
		long start = threads.getCurrentThreadCpuTime();
		for (int i = 0; i < measured; i++) {
			compositions.compose(composition).html();
		}
		return (threads.getCurrentThreadCpuTime() - start) / 1e6 / measured;
	}

	/**
	 * What ratio (a)'s 0.7 x leaves per message: at 0.7 x the raw loop's rate, the whole
	 * machine may spend at most this much CPU on a message, of which the raw loop's own
	 * send (client, sink, kernel) is a part the platform cannot avoid.
	 */
	private static String budget(SinkPlatform.RawLoop raw, double composing) {
		int cores = Runtime.getRuntime().availableProcessors();
		double perMessage = cores * 1000 / (0.7 * raw.rate());
		double send = raw.cpu().machineMicros() / 1000;
		return String.format(Locale.ROOT,
				"raw loop machine CPU %.2f ms per message (its JVM %.2f); at 0.7 x its rate %d cores allow %.2f ms "
						+ "per message, %.2f ms beyond the raw send; composing the email and writing out its HTML alone takes %.2f ms (one thread, warm)",
				send, raw.cpu().jvmMicros() / 1000, cores, perMessage, perMessage - send, composing);
	}

	/**
	 * One campaign of {@code size} new customers, timed from its launch.
	 * @return seconds from the launch request until the sink had every message
	 */
	private double campaign(int size, double rawRate, boolean record) throws Exception {
		String key = (record ? "bench-" : "bench-warmup-") + size;
		customers(key, size);
		this.app.getBean(Segments.class)
			.save(key, "Benchmark " + size,
					new SegmentRule.Profile(SegmentRule.ProfileField.CITY, SegmentRule.Comparison.EQ, key));
		long heapBefore = heapAfterGc();
		String loadStart = loadAverage();
		Map<String, Object> request = new LinkedHashMap<>();
		request.put("name", "Benchmark " + key);
		request.put("segment", key);
		request.put("template", TEMPLATE);
		request.put("purpose", Purpose.MARKETING.name());
		request.put("data", CompositionBenchmark.invoice());
		request.put("schedule", Map.of("kind", "NOW"));
		request.put("throttle", Map.of("perSecond", Integer.getInteger("ccm.bench.campaign.throttle", 100_000)));
		HttpResponse<String> created = this.platform.call("POST", "/campaigns", json.writeValueAsString(request));
		if (created.statusCode() != 201) {
			throw new IllegalStateException("campaign not created: " + created.statusCode() + " " + created.body());
		}
		String id = (String) json.readValue(created.body(), Map.class).get("id");
		SmtpSink sink = this.platform.sink();
		long base = sink.received();
		JdbcClient jdbc = this.app.getBean(JdbcClient.class);
		PostgresStatements.reset(jdbc);
		ProcessCpu cpu = this.platform.cpu();
		Map<String, Double> threads = ProcessCpu.threads();
		long start = System.nanoTime();
		HttpResponse<String> launched = this.platform.call("POST", "/campaigns/" + id + "/launch", null);
		if (launched.statusCode() != 200) {
			throw new IllegalStateException("campaign not launched: " + launched.statusCode() + " " + launched.body());
		}
		long sinkDone = 0;
		long finished = 0;
		String[] eta = new String[2];
		long[] etaAt = new long[2];
		long deadline = start + patience(size).toNanos();
		Map<?, ?> progress = Map.of();
		long lastLog = start;
		long progressAt = 0;
		// what the campaign page does (every 2 s); each answer's time is reported
		long progressEvery = Long.getLong("ccm.bench.campaign.progress-every-ms", 2000) * 1_000_000L;
		List<Long> progressTimes = new ArrayList<>();
		while (sinkDone == 0 || finished == 0) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("campaign " + key + " not done: sink " + (sink.received() - base)
						+ " of " + size + ", progress " + progress);
			}
			Thread.sleep(250);
			long now = System.nanoTime();
			if (sinkDone == 0 && sink.received() >= base + size) {
				sinkDone = now;
			}
			// then often, to time FINISHED
			if (sinkDone == 0 && now - progressAt < progressEvery) {
				continue;
			}
			progressAt = now;
			progress = json.readValue(this.platform.call("GET", "/campaigns/" + id + "/progress", null).body(),
					Map.class);
			progressTimes.add(System.nanoTime() - now);
			if (finished == 0 && "FINISHED".equals(progress.get("state"))) {
				finished = System.nanoTime();
			}
			long sent = ((Number) progress.get("sent")).longValue();
			for (int q = 0; q < 2; q++) {
				if (eta[q] == null && sent >= size * (q + 1) / 4) {
					Object seconds = progress.get("etaSeconds");
					eta[q] = String.format(Locale.ROOT, "%.0f/s, %s s",
							((Number) progress.get("ratePerSecond")).doubleValue(), (seconds != null) ? seconds : "–");
					etaAt[q] = now;
				}
			}
			if (now - lastLog > 10_000_000_000L) {
				lastLog = now;
				log("%s: %.0f s, sink %,d of %,d, progress %s", key, seconds(now - start), sink.received() - base, size,
						progress);
			}
		}
		ProcessCpu used = this.platform.cpu().minus(cpu);
		// names as the kernel keeps them: 15 characters, digits dropped
		log("%s: JVM CPU by thread kind, ms per message: %s", key, ProcessCpu.threadsSince(threads, size, 0.05));
		PostgresStatements.report(jdbc, key, size);
		String cpuPerMessage = String.format(Locale.ROOT, "%.1f / %.1f / %.1f ms", used.jvmMicros() / 1e3 / size,
				used.postgresMicros() / 1e3 / size, used.machineMicros() / 1e3 / size);
		// whatever arrives late would be a message sent twice
		Thread.sleep(Long.getLong("ccm.bench.campaign.settle-ms", 5000));
		long counted = sink.received() - base;
		long heapAfter = heapAfterGc();
		double toSink = seconds(sinkDone - start);
		double rate = size / toSink;
		log("%s: %,d recipients, sink has all after %.1f s (%,.1f msg/s, %.2f x raw), FINISHED after %.1f s, "
				+ "sink counted %,d, heap %,d -> %,d MB, final progress %s", key, size, toSink, rate, rate / rawRate,
				seconds(finished - start), counted, heapBefore >> 20, heapAfter >> 20, progress);
		log("%s: CPU per message: JVM / PostgreSQL / machine %s", key, cpuPerMessage);
		Collections.sort(progressTimes);
		String progressTime = progressTimes.isEmpty() ? "–"
				: String.format(Locale.ROOT, "%.0f / %.0f ms (%d)", progressTimes.get(progressTimes.size() / 2) / 1e6,
						progressTimes.get(progressTimes.size() - 1) / 1e6, progressTimes.size());
		log("%s: progress requests p50 / max (count) %s", key, progressTime);
		if (counted != size) {
			throw new IllegalStateException("the sink counted " + counted + " messages for " + size + " recipients");
		}
		if (record) {
			String[] etas = new String[2];
			for (int q = 0; q < 2; q++) {
				etas[q] = (eta[q] != null) ? eta[q] + " (" + Math.round(seconds(sinkDone - etaAt[q])) + " s)" : "–";
			}
			this.rows.add(String.format(Locale.ROOT,
					"| %,d | %.1f s | %.1f s | %,.1f | %.3f × | %%.2f (%%.2f ×) | %,d → %,d MB | %,d | %s | %s / %s | %s | %s → %s |",
					size, toSink, seconds(finished - start), rate, rate / rawRate, heapBefore >> 20, heapAfter >> 20,
					counted, cpuPerMessage, etas[0], etas[1], progressTime, loadStart, loadAverage()));
		}
		return toSink;
	}

	/**
	 * Imports {@code count} customers through the bulk import, each in the city
	 * {@code key} (what the segment selects).
	 */
	private void customers(String key, int count) throws Exception {
		Path file = Files.createTempFile("ccm-bench-campaign", ".csv");
		try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
			out.write("externalId,name,email,addressLine1,postcode,city,country,preferences.MARKETING,"
					+ "consent.EMAIL.MARKETING\n");
			for (int i = 0; i < count; i++) {
				out.write(String.format(Locale.ROOT,
						"%s-%07d,Customer %d,%s-%07d@example.com,%d High Street,OX1 2JD,%s,GB,EMAIL,true%n", key, i, i,
						key, i, i + 1, key));
			}
		}
		CustomerImports imports = this.app.getBean(CustomerImports.class);
		long start = System.nanoTime();
		ImportJob job = imports.submit(file, ImportFormat.CSV, null, "bench");
		while (job.status() != ImportJob.Status.COMPLETED && job.status() != ImportJob.Status.FAILED) {
			Thread.sleep(100);
			job = imports.find(job.id()).orElseThrow();
		}
		Files.deleteIfExists(file);
		if (job.accepted() != count) {
			java.io.StringWriter rejected = new java.io.StringWriter();
			imports.writeRejected(job.id(), rejected);
			log("rejected rows: %s", rejected.toString().lines().limit(3).toList());
			throw new IllegalStateException("import of " + key + ": " + job.status() + ", accepted " + job.accepted()
					+ " of " + count + ", rejected " + job.rejected());
		}
		log("%s: %,d customers imported in %.1f s", key, count, seconds(System.nanoTime() - start));
	}

	private long heapAfterGc() throws InterruptedException {
		System.gc();
		Thread.sleep(200);
		System.gc();
		return this.memory.getHeapMemoryUsage().getUsed();
	}

}
