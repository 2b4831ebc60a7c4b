package org.ccm.bench.delivery;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

import org.ccm.bench.BenchPlatform;
import org.ccm.bench.ProcessCpu;
import org.ccm.bench.templates.CompositionBenchmark;
import org.ccm.bench.templates.RawRenderer;
import org.ccm.core.Channel;
import org.ccm.core.ConsentChange;
import org.ccm.core.CustomerDetails;
import org.ccm.core.CustomerProfile;
import org.ccm.core.Customers;
import org.ccm.core.Purpose;
import org.ccm.templates.Composition;
import org.ccm.templates.Compositions;
import org.ccm.templates.TemplateAuthoring;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;

import tools.jackson.databind.json.JsonMapper;

import static org.ccm.bench.delivery.SinkPlatform.cpuNanos;
import static org.ccm.bench.delivery.SinkPlatform.finish;
import static org.ccm.bench.delivery.SinkPlatform.loadAverage;
import static org.ccm.bench.delivery.SinkPlatform.log;
import static org.ccm.bench.delivery.SinkPlatform.patience;
import static org.ccm.bench.delivery.SinkPlatform.percentile;
import static org.ccm.bench.delivery.SinkPlatform.seconds;

/**
 * End to end: the whole application on embedded PostgreSQL and Kafka sends invoices (with
 * their PDF/A attachment) and marketing emails (no attachment), accepted through the REST
 * API, to Postfix's {@code smtp-sink}; each phase is timed from the first request until
 * the sink has every message. In the same run it measures the raw limits the platform is
 * compared with: a plain Jakarta Mail loop over 8 reused connections
 * ({@code TCP_NODELAY}) sending a prepared message of the same size to the same sink, and
 * a bare openhtmltopdf loop rendering the same invoice at the same conformance (PDF/A-3u
 * + PDF/UA) on two threads. Also: the API's accept latency at a fixed request rate, and
 * {@code :batch}. The accept latency is taken twice unless
 * {@code -Dccm.bench.accept-idle=false}: first with every Kafka consumer paused (only the
 * accept path runs), then with delivery sending the accepted messages meanwhile.
 * <p>
 * Sizes: {@code -Dccm.bench.invoices=2000 -Dccm.bench.marketing=2000 -Dccm.bench.raw=5000
 * -Dccm.bench.batch=2000 -Dccm.bench.accept-rate=500 -Dccm.bench.accept-requests=2000}.
 * Run: {@code ccm-bench/run delivery} (see {@code docs/benchmarks.md}). Needs
 * {@code smtp-sink} ({@code apt-get install postfix}).
 */
public final class DeliveryThroughputBenchmark {

	private static final String API_KEY = SinkPlatform.API_KEY;

	private static final String MARKETING_TEMPLATE = "bench-newsletter";

	private static final JsonMapper json = JsonMapper.builder().build();

	private final SinkPlatform platform;

	private final SmtpSink sink;

	private final ConfigurableApplicationContext app;

	private final HttpClient http;

	private final String api;

	private final int clients = Integer.getInteger("ccm.bench.clients", 8);

	private final Map<String, String> results = new LinkedHashMap<>();

	private DeliveryThroughputBenchmark(SinkPlatform platform) {
		this.platform = platform;
		this.sink = platform.sink();
		this.app = platform.app();
		this.http = platform.http();
		this.api = platform.api();
	}

	public static void main(String[] args) throws Exception {
		int invoices = Integer.getInteger("ccm.bench.invoices", 2000);
		int marketing = Integer.getInteger("ccm.bench.marketing", 2000);
		int raw = Integer.getInteger("ccm.bench.raw", 5000);
		int renders = Integer.getInteger("ccm.bench.renders", 300);
		int acceptRate = Integer.getInteger("ccm.bench.accept-rate", 500);
		int acceptRequests = Integer.getInteger("ccm.bench.accept-requests", 2000);
		int batch = Integer.getInteger("ccm.bench.batch", 2000);
		int warmup = Integer.getInteger("ccm.bench.warmup", 200);
		// the accept path with its rate limit, which a benchmark of its capacity must not
		// reach
		BenchPlatform.runAndExit(SinkPlatform.start(args, Map.of("ccm.security.rate-limits.per-api-key", 1_000_000)),
				(platform) -> new DeliveryThroughputBenchmark(platform).run(invoices, marketing, raw, renders,
						acceptRate, acceptRequests, batch, warmup));
	}

	private void run(int invoices, int marketing, int raw, int renders, int acceptRate, int acceptRequests, int batch,
			int warmup) throws Exception {
		String newsletter = CompositionBenchmark.emailOnlyTemplate(this.app.getBean(TemplateAuthoring.class),
				MARKETING_TEMPLATE, Purpose.MARKETING);
		int invoiceCustomers = Math.max(invoices, Math.max(batch, acceptRequests)) + warmup;
		log("creating %,d + %,d customers", invoiceCustomers, marketing + warmup);
		List<String> invoiceIds = customers("B-I-", invoiceCustomers, Purpose.TRANSACTIONAL);
		List<String> marketingIds = customers("B-M-", marketing + warmup, Purpose.MARKETING);
		// no marketing consent: their sends are accepted like any other, and routing then
		// sends nothing, so warming the accept path leaves no queue of messages behind
		List<String> quietIds = customers("B-Q-", Integer.getInteger("ccm.bench.accept-warmup", 5000),
				Purpose.TRANSACTIONAL);

		// raw limits first, on an idle application
		Compositions compositions = this.app.getBean(Compositions.class);
		CustomerProfile sample = CompositionBenchmark.customer();
		Map<String, Object> data = CompositionBenchmark.invoice();
		byte[] invoiceMail = SinkPlatform
			.mime(compositions.compose(new Composition("invoice", null, Channel.EMAIL, sample, data)));
		byte[] marketingMail = SinkPlatform
			.mime(compositions.compose(new Composition(newsletter, null, Channel.EMAIL, sample, data)));
		double rawInvoice = this.platform.rawLoop(invoiceMail, raw).rate();
		double rawMarketing = this.platform.rawLoop(marketingMail, raw).rate();
		double rawRender = rawRender(
				new RawRenderer(
						compositions.compose(new Composition("invoice", null, Channel.PORTAL, sample, data)).html()),
				renders);
		put("raw SMTP loop, 8 connections, invoice-size message (" + invoiceMail.length / 1024 + " KB)", "%,.0f msg/s",
				rawInvoice);
		put("raw SMTP loop, 8 connections, marketing-size message (" + marketingMail.length / 1024 + " KB)",
				"%,.0f msg/s", rawMarketing);
		put("raw openhtmltopdf, PDF/A-3u + PDF/UA, 2 threads", "%,.0f docs/s", rawRender);

		log("warm-up: %d invoices and %d marketing emails", warmup, warmup);
		endToEnd("warm-up", (i) -> body(invoiceIds.get(invoiceIds.size() - 1 - i), "invoice", Purpose.TRANSACTIONAL),
				warmup);
		endToEnd("warm-up",
				(i) -> body(marketingIds.get(marketingIds.size() - 1 - i), MARKETING_TEMPLATE, Purpose.MARKETING),
				warmup);

		double marketingRate = endToEnd("marketing",
				(i) -> body(marketingIds.get(i), MARKETING_TEMPLATE, Purpose.MARKETING), marketing);
		double invoiceRate = endToEnd("invoice", (i) -> body(invoiceIds.get(i), "invoice", Purpose.TRANSACTIONAL),
				invoices);
		acceptWarmup(quietIds);
		if (Boolean.parseBoolean(System.getProperty("ccm.bench.accept-idle", "true"))) {
			acceptLatency((i) -> body(invoiceIds.get(i), "invoice", Purpose.TRANSACTIONAL), acceptRate, acceptRequests,
					true);
		}
		acceptLatency((i) -> body(invoiceIds.get(i), "invoice", Purpose.TRANSACTIONAL), acceptRate, acceptRequests,
				false);
		batch((i) -> body(invoiceIds.get(i), "invoice", Purpose.TRANSACTIONAL), batch);

		put("(a) marketing email / raw loop (target >= 0.7)", "%.2f x", marketingRate / rawMarketing);
		put("(b) invoice / min(raw loop, raw render) (target >= 0.7)", "%.2f x",
				invoiceRate / Math.min(rawInvoice, rawRender));
		System.out.println();
		System.out.println("| What | Result |");
		System.out.println("|---|---|");
		this.results.forEach((what, result) -> System.out.println("| " + what + " | " + result + " |"));
	}

	/**
	 * Sends {@code count} requests through {@code POST /communications} from
	 * {@code clients} concurrent clients and waits until the sink has every message.
	 * @return messages per second end to end
	 */
	private double endToEnd(String name, IntFunction<String> body, int count) throws Exception {
		long base = this.sink.received();
		long cpu = cpuNanos();
		long start = System.nanoTime();
		long[] latencies = closedLoop(body, count);
		long accepted = System.nanoTime();
		long end = this.sink.awaitReceived(base + count, patience(count));
		double rate = count / seconds(end - start);
		if (!name.equals("warm-up")) {
			put(name + ": end to end, " + count + " sent", "%,.0f msg/s", rate);
			put(name + ": API accepted (" + this.clients + " clients)", "%,.0f req/s (p99 %.1f ms)",
					count / seconds(accepted - start), percentile(latencies, 0.99) / 1e6);
			put(name + ": JVM CPU per message", "%.1f ms", (cpuNanos() - cpu) / 1e6 / count);
		}
		log("%s: %,d messages in %.1f s = %,.1f msg/s", name, count, seconds(end - start), rate);
		return rate;
	}

	private long[] closedLoop(IntFunction<String> body, int count) throws Exception {
		long[] latencies = new long[count];
		AtomicInteger next = new AtomicInteger();
		AtomicLong failures = new AtomicLong();
		ExecutorService pool = Executors.newFixedThreadPool(this.clients);
		List<Future<?>> done = new ArrayList<>();
		for (int c = 0; c < this.clients; c++) {
			done.add(pool.submit(() -> {
				for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
					long started = System.nanoTime();
					send(body.apply(i), failures);
					latencies[i] = System.nanoTime() - started;
				}
				return null;
			}));
		}
		for (Future<?> future : done) {
			future.get();
		}
		pool.shutdown();
		if (failures.get() > 0) {
			throw new IllegalStateException(failures.get() + " sends were not accepted");
		}
		return latencies;
	}

	/**
	 * Requests at a fixed rate whatever the answers' speed; latency counts from when a
	 * request was due, so a stalled server is not hidden.
	 * @param idle whether every Kafka consumer is paused while the requests are made, so
	 * that only the accept path runs; otherwise delivery sends the accepted messages as
	 * they come in
	 */
	private void acceptLatency(IntFunction<String> body, int rate, int count, boolean idle) throws Exception {
		long base = this.sink.received();
		KafkaListenerEndpointRegistry consumers = this.app.getBean(KafkaListenerEndpointRegistry.class);
		if (idle) {
			consumers.getListenerContainers().forEach(MessageListenerContainer::pause);
		}
		String load = loadAverage();
		long[] latencies = new long[count];
		AtomicLong failures = new AtomicLong();
		AtomicLong lastAnswer = new AtomicLong();
		ProcessCpu cpu = this.platform.cpu();
		Map<String, Double> threads = ProcessCpu.threads();
		long start = System.nanoTime();
		ExecutorService requests = Executors.newCachedThreadPool();
		ProcessCpu used;
		Map<String, Double> byThread;
		try {
			List<Future<?>> sent = new ArrayList<>();
			for (int i = 0; i < count; i++) {
				long due = start + (long) (i * 1e9 / rate);
				long wait = due - System.nanoTime();
				if (wait > 0) {
					TimeUnit.NANOSECONDS.sleep(wait);
				}
				int index = i;
				sent.add(requests.submit(() -> {
					send(body.apply(index), failures);
					long answered = System.nanoTime();
					latencies[index] = answered - due;
					lastAnswer.accumulateAndGet(answered, Math::max);
				}));
			}
			for (Future<?> request : sent) {
				request.get();
			}
			// read while the request threads still live: the load generator's own CPU is
			// told apart by thread
			used = this.platform.cpu().minus(cpu);
			byThread = ProcessCpu.threads();
		}
		finally {
			finish(requests);
			if (idle) {
				consumers.getListenerContainers().forEach(MessageListenerContainer::resume);
			}
		}
		threads.forEach((name, micros) -> byThread.merge(name, -micros, Double::sum));
		double generator = byThread.entrySet()
			.stream()
			.filter((entry) -> entry.getKey().startsWith("pool-") || entry.getKey().startsWith("HttpClient-"))
			.mapToDouble(Map.Entry::getValue)
			.sum();
		put("API accept at " + rate + " req/s, " + (idle ? "pipeline idle" : "pipeline busy")
				+ ": answered per second; CPU per request: JVM without the load generator / load generator / PostgreSQL / machine",
				"%,.0f /s; %.2f / %.2f / %.2f / %.2f ms", count / seconds(lastAnswer.get() - start),
				(used.jvmMicros() - generator) / count / 1e3, generator / count / 1e3,
				used.postgresMicros() / count / 1e3, used.machineMicros() / count / 1e3);
		log("CPU by thread during the accepts, ms per request: %s", ProcessCpu.perUnit(byThread, count, 0.01));
		String what = "API accept at " + rate + " req/s (" + count + " requests, "
				+ (idle ? "pipeline idle: every Kafka consumer paused" : "pipeline busy: delivery sends meanwhile")
				+ "; load average " + load + " → " + loadAverage() + ")";
		put(what + ": p50 / p99 / max, not accepted", "%.1f / %.1f / %.1f ms, %d", percentile(latencies, 0.5) / 1e6,
				percentile(latencies, 0.99) / 1e6, percentile(latencies, 1.0) / 1e6, failures.get());
		log("%s: p99 %.1f ms, %d not accepted", what, percentile(latencies, 0.99) / 1e6, failures.get());
		// a refused send is not delivered: wait for the rest only
		this.sink.awaitReceived(base + count - failures.get(), patience(count));
	}

	/**
	 * Accepts as many marketing sends to customers without marketing consent as fast as
	 * {@code clients} concurrent clients get them answered, so that the accept path is
	 * compiled before its latency is taken (a server that has run a while is); the
	 * answered rate of this closed loop is the accept path's capacity. Waits until
	 * routing has decided every one of them (to send nothing).
	 */
	private void acceptWarmup(List<String> customers) throws Exception {
		if (customers.isEmpty()) {
			return;
		}
		AtomicLong failures = new AtomicLong();
		AtomicInteger next = new AtomicInteger();
		ProcessCpu cpu = this.platform.cpu();
		long start = System.nanoTime();
		ExecutorService clients = Executors.newFixedThreadPool(this.clients * 2);
		try {
			for (int c = 0; c < this.clients * 2; c++) {
				clients.submit(() -> {
					for (int i = next.getAndIncrement(); i < customers.size(); i = next.getAndIncrement()) {
						send(body(customers.get(i), MARKETING_TEMPLATE, Purpose.MARKETING), failures);
					}
				});
			}
		}
		finally {
			finish(clients);
		}
		double seconds = seconds(System.nanoTime() - start);
		ProcessCpu used = this.platform.cpu().minus(cpu);
		int count = customers.size();
		put("accept path warm-up: " + count + " sends without consent from " + this.clients * 2
				+ " clients in a closed loop: answered per second; CPU per request: JVM (with the load generator) / PostgreSQL / machine",
				"%,.0f /s; %.2f / %.2f / %.2f ms", count / seconds, used.jvmMicros() / count / 1e3,
				used.postgresMicros() / count / 1e3, used.machineMicros() / count / 1e3);
		log("accept warm-up: %,d in %.1f s (%,.0f /s), %d not accepted", count, seconds, count / seconds,
				failures.get());
		JdbcClient jdbc = this.app.getBean(JdbcClient.class);
		long deadline = System.nanoTime() + patience(count).toNanos();
		while (jdbc.sql("SELECT count(*) FROM communication WHERE routed_at IS NULL").query(Long.class).single() > 0) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("the warm-up's sends were not routed in time");
			}
			Thread.sleep(200);
		}
	}

	/**
	 * {@code POST /communications:batch} in calls of 1,000 JSON lines, two calls at a
	 * time.
	 */
	private void batch(IntFunction<String> body, int count) throws Exception {
		long base = this.sink.received();
		int size = Integer.getInteger("ccm.bench.batch-size", 1000);
		long start = System.nanoTime();
		AtomicInteger accepted = new AtomicInteger();
		ExecutorService calls = Executors.newFixedThreadPool(2);
		try {
			List<Future<?>> done = new ArrayList<>();
			for (int from = 0; from < count; from += size) {
				int first = from;
				int last = Math.min(count, from + size);
				done.add(calls.submit(() -> {
					StringBuilder lines = new StringBuilder();
					for (int i = first; i < last; i++) {
						String item = body.apply(i);
						lines.append(item, 0, item.length() - 1)
							.append(",\"idempotencyKey\":\"")
							.append(UUID.randomUUID())
							.append("\"}\n");
					}
					HttpResponse<java.util.stream.Stream<String>> response = this.http
						.send(HttpRequest.newBuilder(URI.create(this.api + "/communications:batch"))
							.header("Authorization", "Bearer " + API_KEY)
							.header("Content-Type", "application/x-ndjson")
							.header("Accept", "application/x-ndjson")
							.POST(HttpRequest.BodyPublishers.ofString(lines.toString()))
							.build(), HttpResponse.BodyHandlers.ofLines());
					if (response.statusCode() != 200) {
						throw new IllegalStateException("batch answered " + response.statusCode());
					}
					accepted.addAndGet((int) response.body().filter((line) -> line.contains("\"status\":202")).count());
					return null;
				}));
			}
			for (Future<?> future : done) {
				future.get();
			}
		}
		catch (java.util.concurrent.ExecutionException ex) {
			log("batch not measured: %s", ex.getCause().getMessage());
			return;
		}
		finally {
			finish(calls);
		}
		long acceptedAt = System.nanoTime();
		if (accepted.get() != count) {
			throw new IllegalStateException("batch accepted " + accepted.get() + " of " + count);
		}
		long end = this.sink.awaitReceived(base + count, patience(count));
		put(":batch accepted (" + size + " items per call, 2 calls at a time)", "%,.0f items/s",
				count / seconds(acceptedAt - start));
		put(":batch invoices end to end, " + count + " sent", "%,.0f msg/s", count / seconds(end - start));
	}

	private void send(String body, AtomicLong failures) {
		try {
			HttpResponse<String> response = this.http
				.send(HttpRequest.newBuilder(URI.create(this.api + "/communications"))
					.header("Authorization", "Bearer " + API_KEY)
					.header("Content-Type", "application/json")
					.header("Idempotency-Key", UUID.randomUUID().toString())
					.POST(HttpRequest.BodyPublishers.ofString(body))
					.build(), HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() != 202 && failures.getAndIncrement() == 0) {
				log("not accepted: %d %s", response.statusCode(), response.body());
			}
		}
		catch (Exception ex) {
			if (failures.getAndIncrement() == 0) {
				log("not accepted: %s", ex);
			}
		}
	}

	private double rawRender(RawRenderer renderer, int count) throws Exception {
		AtomicInteger next = new AtomicInteger();
		// warm whatever the count measured: a few cold renders flattered ratio (b)
		int warmup = Integer.getInteger("ccm.bench.render-warmup", 300);
		long start = 0;
		for (int round = 0; round < 2; round++) {
			int total = (round == 0) ? warmup : count;
			next.set(0);
			start = System.nanoTime();
			ExecutorService threads = Executors.newFixedThreadPool(2);
			try {
				for (int t = 0; t < 2; t++) {
					threads.submit(() -> {
						while (next.getAndIncrement() < total) {
							renderer.render(true, true);
						}
					});
				}
			}
			finally {
				finish(threads);
			}
		}
		double rate = count / seconds(System.nanoTime() - start);
		log("raw openhtmltopdf: %,d documents: %,.0f docs/s", count, rate);
		return rate;
	}

	private List<String> customers(String prefix, int count, Purpose purpose) throws Exception {
		Customers customers = this.app.getBean(Customers.class);
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			ids.add(prefix + String.format(Locale.ROOT, "%07d", i));
		}
		ExecutorService threads = Executors.newFixedThreadPool(4);
		try {
			for (String id : ids) {
				threads.submit(() -> customers.upsert(id, new CustomerDetails("Alice Martin", Locale.UK,
						java.time.ZoneId.of("Europe/London"), id.toLowerCase(Locale.ROOT) + "@example.com", null, null,
						Map.of(), Map.of(purpose, List.of(Channel.EMAIL)), null,
						(purpose == Purpose.MARKETING)
								? List.of(new ConsentChange(Channel.EMAIL, Purpose.MARKETING, true, "benchmark"))
								: List.of())));
			}
		}
		finally {
			finish(threads);
		}
		return ids;
	}

	private static String body(String customer, String template, Purpose purpose) {
		Map<String, Object> request = new LinkedHashMap<>();
		request.put("customer", customer);
		request.put("template", template);
		request.put("purpose", purpose.name());
		request.put("data", CompositionBenchmark.invoice());
		return json.writeValueAsString(request);
	}

	private void put(String what, String format, Object... values) {
		this.results.put(what, String.format(Locale.ROOT, format, values));
	}

}
