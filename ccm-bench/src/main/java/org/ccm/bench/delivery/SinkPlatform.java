package org.ccm.bench.delivery;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import org.ccm.bench.BenchPlatform;
import org.ccm.bench.ProcessCpu;
import org.ccm.templates.ComposedDocument;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.mail.javamail.MimeMessageHelper;

/**
 * What the end-to-end sending benchmarks share: Postfix's {@code smtp-sink} counting
 * messages, the whole platform sending to it (no quiet hours, no frequency caps), an API
 * key with every scope, and the raw limit they are compared with: a plain Jakarta Mail
 * loop over 8 reused connections ({@code TCP_NODELAY}) sending a prepared message to the
 * same sink.
 */
final class SinkPlatform implements AutoCloseable {

	static final String API_KEY = "ccm_bench_key_0123456789abcdef";

	private final SmtpSink sink;

	private final BenchPlatform platform;

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	private final String api;

	private SinkPlatform(SmtpSink sink, BenchPlatform platform) {
		this.sink = sink;
		this.platform = platform;
		this.api = "http://127.0.0.1:" + platform.port() + "/api/v1";
	}

	/**
	 * Starts the sink and the platform sending to it.
	 * @param settings the benchmark's own properties, on top of the shared ones
	 */
	static SinkPlatform start(String[] args, Map<String, ?> settings) throws Exception {
		SmtpSink sink = SmtpSink.start();
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("spring.mail.host", "127.0.0.1");
		properties.put("spring.mail.port", sink.port());
		properties.put("ccm.security.bootstrap-api-key", API_KEY);
		properties.put("ccm.delivery.marketing.quiet-hours-start", "00:00");
		properties.put("ccm.delivery.marketing.quiet-hours-end", "00:00");
		properties.put("ccm.delivery.marketing.max-per-day", 1_000_000);
		properties.put("ccm.delivery.marketing.max-per-week", 1_000_000);
		properties.put("ccm.delivery.print.batch-directory", Path.of("target", "bench-print").toAbsolutePath());
		properties.putAll(settings);
		try {
			return new SinkPlatform(sink, BenchPlatform.start(args, properties));
		}
		catch (RuntimeException ex) {
			sink.close();
			throw ex;
		}
	}

	ConfigurableApplicationContext app() {
		return this.platform.app();
	}

	SmtpSink sink() {
		return this.sink;
	}

	/** The API's base address, {@code http://127.0.0.1:<port>/api/v1}. */
	String api() {
		return this.api;
	}

	HttpClient http() {
		return this.http;
	}

	/** A JSON call with the benchmark's API key. */
	HttpResponse<String> call(String method, String path, String body) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create(this.api + path))
			.header("Authorization", "Bearer " + API_KEY)
			.header("Content-Type", "application/json")
			.method(method,
					(body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody())
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	/**
	 * What the raw loop did.
	 *
	 * @param rate messages a second, until the sink had them all
	 * @param cpu CPU per message of this JVM (the loop), PostgreSQL (idle meanwhile) and
	 * the machine (loop, sink and kernel), in microseconds
	 */
	record RawLoop(double rate, ProcessCpu cpu) {
	}

	/** A plain Jakarta Mail loop: 8 threads, one connection each, reused. */
	RawLoop rawLoop(byte[] message, int count) throws Exception {
		Properties mail = new Properties();
		mail.put("mail.smtp.host", "127.0.0.1");
		mail.put("mail.smtp.port", String.valueOf(this.sink.port()));
		mail.put("mail.smtp.socketFactory", new NoDelaySockets());
		Session session = Session.getInstance(mail);
		long base = this.sink.received();
		AtomicInteger next = new AtomicInteger();
		ProcessCpu before = cpu();
		long start = System.nanoTime();
		ExecutorService senders = Executors.newFixedThreadPool(8);
		try {
			for (int t = 0; t < 8; t++) {
				senders.submit(() -> {
					MimeMessage prepared = new MimeMessage(session, new ByteArrayInputStream(message));
					try (Transport transport = session.getTransport("smtp")) {
						transport.connect();
						while (next.getAndIncrement() < count) {
							transport.sendMessage(prepared, prepared.getAllRecipients());
						}
					}
					return null;
				});
			}
		}
		finally {
			finish(senders);
		}
		long end = this.sink.awaitReceived(base + count, Duration.ofMinutes(5));
		ProcessCpu used = cpu().minus(before);
		double rate = count / seconds(end - start);
		ProcessCpu perMessage = new ProcessCpu(used.jvmMicros() / count, used.postgresMicros() / count,
				used.machineMicros() / count);
		log("raw SMTP loop: %,d messages of %,d bytes: %,.0f msg/s, CPU per message: JVM %.2f ms, machine %.2f ms",
				count, message.length, rate, perMessage.jvmMicros() / 1000, perMessage.machineMicros() / 1000);
		return new RawLoop(rate, perMessage);
	}

	/** The message delivery would send for a composed document, as bytes. */
	static byte[] mime(ComposedDocument document) throws Exception {
		MimeMessage mime = new MimeMessage(Session.getInstance(new Properties()));
		MimeMessageHelper helper = new MimeMessageHelper(mime, MimeMessageHelper.MULTIPART_MODE_MIXED_RELATED, "UTF-8");
		helper.setFrom("billing@example.com");
		helper.setTo("alice@example.com");
		helper.setSubject(document.subject());
		helper.setText(document.text(), document.html());
		if (document.pdf() != null) {
			helper.addAttachment("invoice.pdf", new ByteArrayResource(document.pdf()), "application/pdf");
		}
		mime.saveChanges();
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		mime.writeTo(out);
		return out.toByteArray();
	}

	@Override
	public void close() {
		try {
			this.platform.close();
		}
		finally {
			this.sink.close();
		}
	}

	/** CPU used so far by this JVM, the embedded PostgreSQL server and the machine. */
	ProcessCpu cpu() {
		return ProcessCpu.now(ProcessCpu.port(app().getEnvironment().getProperty("spring.datasource.url", "")));
	}

	static long cpuNanos() {
		return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
			.getProcessCpuTime();
	}

	/** The one-minute load average, as {@code uptime} shows it. */
	static String loadAverage() {
		try {
			return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
		}
		catch (Exception ex) {
			return "?";
		}
	}

	static double percentile(long[] values, double quantile) {
		long[] sorted = values.clone();
		Arrays.sort(sorted);
		return sorted[(int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1)];
	}

	static void finish(ExecutorService threads) throws InterruptedException {
		threads.shutdown();
		if (!threads.awaitTermination(1, TimeUnit.HOURS)) {
			throw new IllegalStateException("threads did not finish");
		}
	}

	/** How long the sink may take: generous, the machine may be shared. */
	static Duration patience(int count) {
		return Duration.ofSeconds(Math.max(600, count * 2L));
	}

	static double seconds(long nanos) {
		return nanos / 1e9;
	}

	static void log(String format, Object... values) {
		System.out.printf(Locale.ROOT, "[bench] " + format + "%n", values);
	}

}
