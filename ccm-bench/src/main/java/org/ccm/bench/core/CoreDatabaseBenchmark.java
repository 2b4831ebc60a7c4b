package org.ccm.bench.core;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

import javax.sql.DataSource;

import org.ccm.bench.ProcessCpu;
import org.ccm.core.Channel;
import org.ccm.core.CustomerImports;
import org.ccm.core.ImportFormat;
import org.ccm.core.ImportJob;
import org.ccm.core.InteractionType;
import org.ccm.core.SegmentRule;
import org.ccm.core.SegmentRule.And;
import org.ccm.core.SegmentRule.Attribute;
import org.ccm.core.SegmentRule.Bought;
import org.ccm.core.SegmentRule.Comparison;
import org.ccm.core.SegmentRule.Engaged;
import org.ccm.core.SegmentRule.Not;
import org.ccm.core.SegmentRule.Spend;
import org.ccm.core.Segments;
import org.ccm.core.Timeline;
import org.ccm.core.TimelinePage;
import org.ccm.core.testing.EmbeddedPostgresServer;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * End-to-end measurements of the customer database on an embedded PostgreSQL:
 * <ol>
 * <li>bulk import rate of a generated CSV, and the rate of PostgreSQL {@code COPY} of the
 * same file into a plain table in the same run, and the rate at which PostgreSQL alone
 * writes the rows the import wrote into tables with the customer's indexes (the floors no
 * import can beat; {@code -Dccm.bench.skip-table-floor=true} skips the second);</li>
 * <li>timeline page latency (first page and a cursor page) with
 * {@code ccm.bench.interactions} rows in the table;</li>
 * <li>segment count time over all imported customers for several rule shapes.</li>
 * </ol>
 * Sizes: {@code -Dccm.bench.customers=1000000 -Dccm.bench.interactions=10000000
 * -Dccm.bench.transactions=2000000}; {@code -Dccm.bench.parts=import} runs the import
 * alone. Run: {@code ccm-bench/run database} (see {@code docs/benchmarks.md}).
 */
@SpringBootApplication(scanBasePackages = "org.ccm.core")
@ConfigurationPropertiesScan("org.ccm.core")
public class CoreDatabaseBenchmark {

	// the embedded server runs detached: its CPU is found by its port
	private static String postgresPort = "";

	public static void main(String[] args) throws Exception {
		int customers = Integer.getInteger("ccm.bench.customers", 1_000_000);
		int interactions = Integer.getInteger("ccm.bench.interactions", 10_000_000);
		int transactions = Integer.getInteger("ccm.bench.transactions", 2_000_000);
		int timelineCustomers = Integer.getInteger("ccm.bench.timeline-customers", 200_000);
		// -Dccm.bench.parts=import measures the import alone (timeline and segments need
		// the imported customers, so they always come after it)
		List<String> parts = List.of(System.getProperty("ccm.bench.parts", "import,timeline,segments").split(","));
		String url = EmbeddedPostgresServer.newDatabase();
		postgresPort = ProcessCpu.port(url);
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(CoreDatabaseBenchmark.class)
			.web(WebApplicationType.NONE)
			.properties(Map.of("spring.datasource.url", url, "spring.datasource.username", "postgres",
					"spring.datasource.password", "postgres", "logging.level.root", "WARN",
					"spring.kafka.listener.auto-startup", "false"))
			.run(args)) {
			JdbcClient jdbc = context.getBean(JdbcClient.class);
			DataSource dataSource = context.getBean(DataSource.class);
			System.out.printf(Locale.ROOT, "PostgreSQL %s, %d cores, JVM %s%n",
					jdbc.sql("SHOW server_version").query(String.class).single(),
					Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
			importRate(context.getBean(CustomerImports.class), jdbc, dataSource, customers);
			if (parts.contains("timeline")) {
				timeline(context.getBean(Timeline.class), jdbc, interactions, timelineCustomers);
			}
			if (parts.contains("segments")) {
				segments(context.getBean(Segments.class), jdbc, transactions);
			}
		}
		System.exit(0);
	}

	// ------------------------------------------------------------------ import

	static void importRate(CustomerImports imports, JdbcClient jdbc, DataSource dataSource, int rows) throws Exception {
		int warmup = Integer.getInteger("ccm.bench.warmup", 0);
		if (warmup > 0) {
			// a running server imports with compiled code; a fresh JVM compiles during
			// its
			// first import
			Path warm = customersFile("W-", warmup);
			ImportJob job = imports.submit(warm, ImportFormat.CSV, null, "bench");
			while (imports.find(job.id()).orElseThrow().status().compareTo(ImportJob.Status.COMPLETED) < 0) {
				Thread.sleep(50);
			}
			System.out.printf(Locale.ROOT, "%nWarm-up import of %,d other customers: %s%n", warmup,
					imports.find(job.id()).orElseThrow().status());
		}
		Path file = customersFile("B-", rows);
		long size = Files.size(file);
		System.out.printf(Locale.ROOT, "%nImport: %,d rows, %,d bytes%n", rows, size);

		Path copy = Files.createTempFile("ccm-bench-copy", ".csv");
		Files.copy(file, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
		System.gc();
		java.lang.management.MemoryMXBean memory = java.lang.management.ManagementFactory.getMemoryMXBean();
		long heapBefore = memory.getHeapMemoryUsage().getUsed();
		long heapPeak = heapBefore;
		ProcessCpu cpuBefore = ProcessCpu.now(postgresPort);
		Map<String, Double> threadsBefore = ProcessCpu.threads();
		long started = System.nanoTime();
		ImportJob job = imports.submit(copy, ImportFormat.CSV, null, "bench");
		while (true) {
			job = imports.find(job.id()).orElseThrow();
			if (job.status() == ImportJob.Status.COMPLETED || job.status() == ImportJob.Status.FAILED) {
				break;
			}
			heapPeak = Math.max(heapPeak, memory.getHeapMemoryUsage().getUsed());
			Thread.sleep(50);
		}
		double importSeconds = (System.nanoTime() - started) / 1e9;
		double importRate = job.accepted() / importSeconds;
		ProcessCpu importCpu = ProcessCpu.now(postgresPort).minus(cpuBefore);
		System.out.printf(Locale.ROOT, "  import job: %s, accepted %,d, rejected %,d in %.2f s = %,.0f customers/s%n",
				job.status(), job.accepted(), job.rejected(), importSeconds, importRate);
		// sampled every 50 ms, garbage included: an upper bound of what the import holds
		System.out.printf(Locale.ROOT, "  heap used: %,d MB before, at most %,d MB during the import%n",
				heapBefore >> 20, heapPeak >> 20);
		System.out.printf(Locale.ROOT, "  CPU: JVM %.1f µs/row, PostgreSQL %.1f µs/row%n", importCpu.jvmMicros() / rows,
				importCpu.postgresMicros() / rows);
		Map<String, Double> threads = ProcessCpu.threads();
		threadsBefore.forEach((name, micros) -> threads.merge(name, -micros, Double::sum));
		System.out.println("  JVM CPU by thread, µs/row: " + threads.entrySet()
			.stream()
			.filter((entry) -> entry.getValue() / rows >= 0.1)
			.sorted(Map.Entry.<String, Double>comparingByValue().reversed())
			.map((entry) -> String.format(Locale.ROOT, "%s %.1f", entry.getKey(), entry.getValue() / rows))
			.collect(java.util.stream.Collectors.joining(", ")));

		jdbc.sql("""
				CREATE TABLE copy_baseline (external_id text, name text, email text, phone text, line1 text,
				  postcode text, city text, country text, tier text, transactional text)
				""").update();
		cpuBefore = ProcessCpu.now(postgresPort);
		started = System.nanoTime();
		long copied;
		try (Connection connection = dataSource.getConnection(); Reader reader = Files.newBufferedReader(file)) {
			copied = copyIn(connection, "COPY copy_baseline FROM STDIN WITH (FORMAT csv, HEADER true)", reader);
		}
		double copySeconds = (System.nanoTime() - started) / 1e9;
		double copyRate = copied / copySeconds;
		ProcessCpu copyCpu = ProcessCpu.now(postgresPort).minus(cpuBefore);
		System.out.printf(Locale.ROOT,
				"  COPY of the same file into a plain table: %,d rows in %.2f s = %,.0f rows/s%n", copied, copySeconds,
				copyRate);
		System.out.printf(Locale.ROOT, "  CPU: JVM %.1f µs/row, PostgreSQL %.1f µs/row%n", copyCpu.jvmMicros() / copied,
				copyCpu.postgresMicros() / copied);
		System.out.printf(Locale.ROOT, "  import / COPY = %.2f; load average %.1f%n", importRate / copyRate,
				java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
		jdbc.sql("DROP TABLE copy_baseline").update();
		Files.deleteIfExists(file);
		if (!Boolean.getBoolean("ccm.bench.skip-table-floor")) {
			tableFloor(jdbc, dataSource, copyRate);
		}
	}

	/**
	 * PostgreSQL's own share of the import, with no import around it: the rows the import
	 * wrote (its customers and their audit entries, as {@code COPY} text) copied again,
	 * in the import's batches of 10,000, into empty tables with the same columns and
	 * indexes, on one connection and then on two. No import that writes these rows into
	 * these tables can be faster on this machine.
	 */
	static void tableFloor(JdbcClient jdbc, DataSource dataSource, double copyRate) throws Exception {
		Path customers = Files.createTempFile("ccm-bench-customer", ".copy");
		Path audit = Files.createTempFile("ccm-bench-audit", ".copy");
		long rows;
		try (Connection connection = dataSource.getConnection()) {
			rows = copyOut(connection,
					"COPY (SELECT * FROM customer WHERE external_id LIKE 'B-%' ORDER BY id) TO STDOUT", customers);
			copyOut(connection, """
					COPY (SELECT a.customer_id, a.field, a.action, a.changed_by, a.changed_at
					        FROM customer_audit a JOIN customer c ON c.id = a.customer_id
					       WHERE c.external_id LIKE 'B-%' ORDER BY a.id) TO STDOUT""", audit);
		}
		System.out.printf(Locale.ROOT,
				"  the same %,d customers and their audit entries copied again, as COPY text, into empty tables"
						+ " with the customer's indexes (batches of 10,000):%n",
				rows);
		for (int connections = 1; connections <= 2; connections++) {
			jdbc.sql("CREATE TABLE floor_customer (LIKE customer INCLUDING ALL)").update();
			jdbc.sql("CREATE TABLE floor_audit (LIKE customer_audit INCLUDING ALL)").update();
			jdbc.sql("CHECKPOINT").update();
			ProcessCpu before = ProcessCpu.now(postgresPort);
			long started = System.nanoTime();
			ExecutorService writers = Executors.newFixedThreadPool(connections);
			try {
				List<Future<?>> written = new ArrayList<>();
				for (int writer = 0; writer < connections; writer++) {
					int own = writer;
					int all = connections;
					written.add(writers.submit(() -> {
						copyBatches(dataSource, customers, audit, own, all);
						return null;
					}));
				}
				for (Future<?> each : written) {
					each.get();
				}
			}
			finally {
				writers.shutdown();
			}
			double seconds = (System.nanoTime() - started) / 1e9;
			ProcessCpu used = ProcessCpu.now(postgresPort).minus(before);
			System.out.printf(Locale.ROOT,
					"    %d connection%s: %.2f s = %,.0f rows/s = %.2f x COPY; CPU: JVM %.1f µs/row, PostgreSQL %.1f µs/row%n",
					connections, (connections == 1) ? "" : "s", seconds, rows / seconds, rows / seconds / copyRate,
					used.jvmMicros() / rows, used.postgresMicros() / rows);
			jdbc.sql("DROP TABLE floor_customer, floor_audit").update();
		}
		Files.deleteIfExists(customers);
		Files.deleteIfExists(audit);
	}

	// one audit entry per customer in the generated file: the n-th batch of each file
	// holds the same customers
	private static void copyBatches(DataSource dataSource, Path customers, Path audit, int writer, int writers)
			throws Exception {
		try (Connection connection = dataSource.getConnection();
				BufferedReader customerLines = Files.newBufferedReader(customers);
				BufferedReader auditLines = Files.newBufferedReader(audit)) {
			connection.setAutoCommit(false);
			for (int batch = 0;; batch++) {
				String customerText = lines(customerLines, 10_000);
				String auditText = lines(auditLines, 10_000);
				if (customerText.isEmpty()) {
					return;
				}
				if (batch % writers == writer) {
					copyIn(connection, "COPY floor_customer FROM STDIN", new StringReader(customerText));
					copyIn(connection,
							"COPY floor_audit (customer_id, field, action, changed_by, changed_at) FROM STDIN",
							new StringReader(auditText));
					connection.commit();
				}
			}
		}
	}

	private static String lines(BufferedReader reader, int count) throws IOException {
		StringBuilder text = new StringBuilder(count * 400);
		String line;
		for (int i = 0; i < count && (line = reader.readLine()) != null; i++) {
			text.append(line).append('\n');
		}
		return text.toString();
	}

	static Path customersFile(String prefix, int rows) throws IOException {
		Path file = Files.createTempFile("ccm-bench-customers", ".csv");
		ThreadLocalRandom random = ThreadLocalRandom.current();
		String[] tiers = { "bronze", "silver", "gold", "platinum" };
		String[] cities = { "Paris", "Lyon", "Lille", "Nantes", "Bordeaux" };
		try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
			out.write(
					"externalId,name,email,phone,addressLine1,postcode,city,country,attr.tier,preferences.TRANSACTIONAL\n");
			for (int i = 0; i < rows; i++) {
				out.write(String.format(Locale.ROOT,
						"%s%08d,\"Customer %d, Jr\",customer%d@example.com,+3361%07d,%d rue de la Paix,750%02d,%s,FR,%s,EMAIL|SMS%n",
						prefix, i, i, i, random.nextInt(10_000_000), i % 200, i % 20, cities[i % cities.length],
						tiers[i % tiers.length]));
			}
		}
		return file;
	}

	// the driver is a runtime dependency of the application: reach its COPY API
	// reflectively
	static long copyIn(Connection connection, String sql, Reader reader) throws Exception {
		Object copy = copyApi(connection);
		return (Long) copy.getClass().getMethod("copyIn", String.class, Reader.class).invoke(copy, sql, reader);
	}

	static long copyOut(Connection connection, String sql, Path file) throws Exception {
		Object copy = copyApi(connection);
		try (Writer out = Files.newBufferedWriter(file)) {
			return (Long) copy.getClass().getMethod("copyOut", String.class, Writer.class).invoke(copy, sql, out);
		}
	}

	private static Object copyApi(Connection connection) throws Exception {
		Object pg = connection.unwrap(Class.forName("org.postgresql.PGConnection"));
		return pg.getClass().getMethod("getCopyAPI").invoke(pg);
	}

	// ------------------------------------------------------------------ timeline

	static void timeline(Timeline timeline, JdbcClient jdbc, int interactions, int customers) {
		System.out.printf(Locale.ROOT, "%nTimeline: loading %,d interactions over %,d customers%n", interactions,
				customers);
		long started = System.nanoTime();
		int perCustomer = interactions / customers;
		jdbc.sql("""
				INSERT INTO interaction (id, customer_id, type, channel, occurred_at, detail)
				SELECT uuidv7(), c.id, (ARRAY['SENT','DELIVERED','OPENED','CLICKED'])[1 + (g % 4)], 'EMAIL',
				  now() - random() * interval '730 days', '{}'
				FROM (SELECT id FROM customer ORDER BY external_id LIMIT ?) c, generate_series(1, ?) g
				""").params(customers, perCustomer).update();
		jdbc.sql("VACUUM ANALYZE interaction").update();
		System.out.printf(Locale.ROOT, "  loaded %,d rows in %.1f s; table %s, timeline index %s%n",
				jdbc.sql("SELECT count(*) FROM interaction").query(Long.class).single(),
				(System.nanoTime() - started) / 1e9,
				jdbc.sql("SELECT pg_size_pretty(pg_relation_size('interaction'))").query(String.class).single(),
				jdbc.sql("SELECT pg_size_pretty(pg_relation_size('interaction_timeline_idx'))")
					.query(String.class)
					.single());
		List<UUID> ids = jdbc.sql("SELECT id FROM customer ORDER BY external_id LIMIT ?")
			.param(customers)
			.query(UUID.class)
			.list();
		ThreadLocalRandom random = ThreadLocalRandom.current();
		for (int i = 0; i < 2_000; i++) {
			timeline.page(ids.get(random.nextInt(ids.size())), null, 20);
		}
		int samples = 20_000;
		long[] first = new long[samples];
		long[] next = new long[samples];
		for (int i = 0; i < samples; i++) {
			UUID customer = ids.get(random.nextInt(ids.size()));
			long t0 = System.nanoTime();
			TimelinePage page = timeline.page(customer, null, 20);
			long t1 = System.nanoTime();
			first[i] = t1 - t0;
			if (page.nextCursor() != null) {
				timeline.page(customer, page.nextCursor(), 20);
			}
			next[i] = System.nanoTime() - t1;
		}
		report("  first page (20 entries)", first);
		report("  cursor page (next 20)  ", next);
		UUID sample = ids.get(0);
		TimelinePage firstPage = timeline.page(sample, null, 20);
		String cursor = (firstPage.nextCursor() != null) ? firstPage.nextCursor() : "";
		var last = firstPage.entries().get(firstPage.entries().size() - 1);
		System.out.println("  plan of a cursor page: " + String.join("\n        ", jdbc
			.sql("""
					EXPLAIN (ANALYZE, BUFFERS) SELECT id, type, channel, communication_id, delivery_id, occurred_at, detail::text
					FROM interaction WHERE customer_id = ? AND (occurred_at, id) < (?, ?)
					ORDER BY occurred_at DESC, id DESC LIMIT 21
					""")
			.params(sample, last.occurredAt().atOffset(java.time.ZoneOffset.UTC), last.id())
			.query(String.class)
			.list()) + (cursor.isEmpty() ? " (single page)" : ""));
	}

	static void report(String label, long[] nanos) {
		long[] sorted = nanos.clone();
		Arrays.sort(sorted);
		System.out.printf(Locale.ROOT, "%s p50 %.2f ms, p99 %.2f ms, max %.2f ms (%,d samples)%n", label,
				sorted[sorted.length / 2] / 1e6, sorted[(int) (sorted.length * 0.99)] / 1e6,
				sorted[sorted.length - 1] / 1e6, sorted.length);
	}

	// ------------------------------------------------------------------ segments

	static void segments(Segments segments, JdbcClient jdbc, int transactions) {
		System.out.printf(Locale.ROOT, "%nSegments: loading %,d transactions%n", transactions);
		long started = System.nanoTime();
		jdbc.sql(
				"""
						INSERT INTO customer_transaction (id, customer_id, type, product, amount, currency, occurred_at, payload,
						  recorded_at)
						SELECT uuidv7(), c.id, 'PURCHASE', 'SKU-' || (1 + floor(random() * 50))::int,
						  round((random() * 400)::numeric, 2), 'EUR', now() - random() * interval '730 days', '{}', now()
						FROM (SELECT id FROM customer ORDER BY random() LIMIT ?) c, generate_series(1, 4)
						""")
			.param(transactions / 4)
			.update();
		jdbc.sql("VACUUM ANALYZE customer_transaction").update();
		jdbc.sql("VACUUM ANALYZE customer").update();
		System.out.printf(Locale.ROOT, "  loaded in %.1f s; %,d customers%n", (System.nanoTime() - started) / 1e9,
				jdbc.sql("SELECT count(*) FROM customer").query(Long.class).single());
		List<Map.Entry<String, SegmentRule>> rules = new ArrayList<>();
		Attribute gold = new Attribute("tier", Comparison.EQ, "gold");
		Spend bigSpender = new Spend(Comparison.GT, new BigDecimal("500"), "EUR", 365);
		Engaged opened = new Engaged(InteractionType.OPENED, Channel.EMAIL, 183, null);
		rules.add(Map.entry("tier = gold", gold));
		rules.add(Map.entry("bought SKU-7 in the last 90 days", new Bought("SKU-7", null, 90, null)));
		rules.add(Map.entry("spent > 500 EUR in the last 365 days", bigSpender));
		rules.add(Map.entry("opened nothing in 6 months", new Not(opened)));
		rules.add(Map.entry("gold AND spent > 500 AND NOT opened in 6 months",
				new And(List.of(gold, bigSpender, new Not(opened)))));
		for (Map.Entry<String, SegmentRule> rule : rules) {
			long[] times = new long[3];
			long count = 0;
			for (int i = 0; i < times.length; i++) {
				long t0 = System.nanoTime();
				count = segments.count(rule.getValue());
				times[i] = System.nanoTime() - t0;
			}
			Arrays.sort(times);
			System.out.printf(Locale.ROOT, "  %-50s %,9d members: median %.2f s (min %.2f s)%n", rule.getKey(), count,
					times[1] / 1e9, times[0] / 1e9);
		}
	}

}
