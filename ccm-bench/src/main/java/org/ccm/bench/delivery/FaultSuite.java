package org.ccm.bench.delivery;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.ccm.bench.BenchPlatform;
import org.ccm.bench.templates.CompositionBenchmark;
import org.ccm.core.Channel;
import org.ccm.core.ContactState;
import org.ccm.core.CustomerDetails;
import org.ccm.core.Customers;
import org.ccm.core.Purpose;
import org.ccm.delivery.CommunicationOutcome;
import org.ccm.delivery.CommunicationStatus;
import org.ccm.delivery.CommunicationView;
import org.ccm.delivery.Communications;
import org.ccm.delivery.DeliveryStatus;
import org.ccm.delivery.DeliveryView;
import org.ccm.delivery.SendRequest;
import org.ccm.delivery.testing.RestartablePostgres;
import org.ccm.delivery.testing.ScriptedSmtpServer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.core.KafkaTemplate;

import tools.jackson.databind.json.JsonMapper;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

/**
 * The delivery fault suite: the whole application on PostgreSQL and a Kafka broker that
 * this suite restarts, sending invoices to an SMTP server that misbehaves on purpose
 * ({@link ScriptedSmtpServer}) and SMS to a Twilio stand-in (WireMock); what each
 * customer received is counted at those servers.
 * <ul>
 * <li>the same idempotency key sent again by clients (a share of the sends, at once and a
 * little later): one communication per key, each delivered once;</li>
 * <li>the Kafka broker stopped and started again several times while sending: nothing
 * lost, nothing twice;</li>
 * <li>PostgreSQL stopped and started again while sending: the API answers {@code 503}
 * problem details meanwhile (how fast is measured), clients retry with the same key,
 * everything accepted is delivered once;</li>
 * <li>4xx on a share of SMTP attempts: every message arrives, once;</li>
 * <li>5xx for an address: one attempt, the address suppressed;</li>
 * <li>an SMTP server and a Twilio stand-in that hang on one message: the others keep
 * flowing (delay from accept to the server, p50/p99, at a steady pace);</li>
 * <li>the email topic published again from offset 0: no message sent twice.</li>
 * </ul>
 * Sizes: {@code -Dccm.bench.faults.sends=300 -Dccm.bench.faults.refused=30
 * -Dccm.bench.faults.flowing=100 -Dccm.bench.faults.temporary-rate=0.2
 * -Dccm.bench.faults.keyed=2000 -Dccm.bench.faults.retried=0.3
 * -Dccm.bench.faults.kafka-sends=2000 -Dccm.bench.faults.kafka-restarts=3
 * -Dccm.bench.faults.postgres-sends=1000 -Dccm.bench.faults.postgres-down=10s
 * -Dccm.bench.faults.pace=10} (sends per second in the hang cases). Run:
 * {@code ccm-bench/run faults}.
 */
public final class FaultSuite {

	static final String API_KEY = "ccm_fault_suite_key_0123456789abcdef";

	static final String ACCOUNT_SID = "AC0123456789abcdef0123456789abcdef";

	static final String MESSAGES = "/2010-04-01/Accounts/[^/]+/Messages.json";

	/** The number the Twilio stand-in never answers for. */
	static final String HANGING_NUMBER = "+447900999999";

	private final BenchPlatform platform;

	private final ConfigurableApplicationContext app;

	private final ScriptedSmtpServer smtp;

	private final WireMockServer twilio;

	private final RestartablePostgres postgres;

	private final Customers customers;

	private final Communications communications;

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private final String api;

	private final JsonMapper json = JsonMapper.builder().build();

	private final Map<String, String> results = new LinkedHashMap<>();

	private final AtomicInteger phones = new AtomicInteger();

	private FaultSuite(BenchPlatform platform, ScriptedSmtpServer smtp, WireMockServer twilio,
			RestartablePostgres postgres) {
		this.platform = platform;
		this.app = platform.app();
		this.smtp = smtp;
		this.twilio = twilio;
		this.postgres = postgres;
		this.customers = this.app.getBean(Customers.class);
		this.communications = this.app.getBean(Communications.class);
		this.api = "http://127.0.0.1:" + platform.port() + "/api/v1";
	}

	public static void main(String[] args) throws Exception {
		ScriptedSmtpServer smtp = new ScriptedSmtpServer();
		smtp.discardContents();
		smtp.refuseAddressesContaining("refused", ScriptedSmtpServer.Stage.RCPT_TO, "550 5.1.1 no such user");
		smtp.hangAddressesContaining("hangs");
		WireMockServer twilio = new WireMockServer(
				WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1").containerThreads(60));
		twilio.start();
		twilio.stubFor(post(urlPathMatching(MESSAGES)).atPriority(5)
			.willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json").withBody("""
					{"sid": "SM0123456789abcdef0123456789abcdef", "status": "queued", "num_segments": "1"}
					""")));
		twilio.stubFor(post(urlPathMatching(MESSAGES)).atPriority(1)
			.withRequestBody(containing("To=" + URLEncoded.plus(HANGING_NUMBER)))
			.willReturn(aResponse().withStatus(201).withFixedDelay(60_000)));
		RestartablePostgres postgres = RestartablePostgres.create();
		Map<String, Object> settings = new LinkedHashMap<>();
		settings.put("spring.datasource.url", postgres.jdbcUrl());
		settings.put("spring.mail.host", "127.0.0.1");
		settings.put("spring.mail.port", smtp.port());
		settings.put("ccm.security.bootstrap-api-key", API_KEY);
		settings.put("ccm.security.rate-limits.enabled", false);
		settings.put("ccm.delivery.sms.twilio.account-sid", ACCOUNT_SID);
		settings.put("ccm.delivery.sms.twilio.auth-token", "fault-suite-token");
		settings.put("ccm.delivery.sms.twilio.from", "+15005550006");
		settings.put("ccm.delivery.sms.twilio.base-url", twilio.baseUrl());
		settings.put("ccm.delivery.print.batch-directory", Path.of("target", "bench-print").toAbsolutePath());
		// outages compressed from hours into seconds; long enough to ride out the
		// restarts below
		settings.put("ccm.delivery.retries.schedule", "500ms,1s,2s,5s,10s");
		settings.put("ccm.delivery.retries.max-age", "3m");
		settings.put("ccm.delivery.kafka.resubmit-after", "5s");
		BenchPlatform platform = null;
		int code = 0;
		try {
			platform = BenchPlatform.start(args, settings, freePort());
			new FaultSuite(platform, smtp, twilio, postgres).run();
		}
		catch (Exception ex) {
			ex.printStackTrace();
			code = 1;
		}
		finally {
			if (platform != null) {
				platform.close();
			}
			smtp.close();
			twilio.stop();
			postgres.stop();
		}
		System.exit(code);
	}

	private void run() throws Exception {
		String loadBefore = loadAverage();
		long started = System.nanoTime();
		sameKeyRetried(Integer.getInteger("ccm.bench.faults.keyed", 2000),
				Double.parseDouble(System.getProperty("ccm.bench.faults.retried", "0.3")));
		kafkaRestarted(Integer.getInteger("ccm.bench.faults.kafka-sends", 2000),
				Integer.getInteger("ccm.bench.faults.kafka-restarts", 3));
		postgresRestarted(Integer.getInteger("ccm.bench.faults.postgres-sends", 1000),
				Duration.parse("PT" + System.getProperty("ccm.bench.faults.postgres-down", "10s")));
		temporaryRefusals(Integer.getInteger("ccm.bench.faults.sends", 300),
				Double.parseDouble(System.getProperty("ccm.bench.faults.temporary-rate", "0.2")));
		permanentRefusals(Integer.getInteger("ccm.bench.faults.refused", 30));
		int flowing = Integer.getInteger("ccm.bench.faults.flowing", 100);
		double pace = Double.parseDouble(System.getProperty("ccm.bench.faults.pace", "10"));
		smtpHangs(flowing, pace);
		twilioHangs(flowing, pace);
		replayed();

		System.out.println();
		System.out.printf(Locale.ROOT, "load average before: %s; after: %s; %.0f s in all%n", loadBefore, loadAverage(),
				(System.nanoTime() - started) / 1e9);
		System.out.println("| Fault | Result |");
		System.out.println("|---|---|");
		this.results.forEach((what, result) -> System.out.println("| " + what + " | " + result + " |"));
	}

	/**
	 * Clients that send again with the same key, at once (racing the first request) and a
	 * little later: one communication per key, one SMS per customer.
	 */
	private void sameKeyRetried(int sends, double share) throws Exception {
		List<Recipient> recipients = recipients("F-K-", sends, Channel.SMS);
		Random random = new Random(11);
		List<Call> calls = new ArrayList<>();
		for (Recipient recipient : recipients) {
			String key = "keyed-" + UUID.randomUUID();
			calls.add(new Call(recipient, key, 0));
			if (random.nextDouble() < share) {
				calls.add(new Call(recipient, key, 0));
				calls.add(new Call(recipient, key, 200 + random.nextInt(800)));
			}
		}
		Collections.shuffle(calls, random);
		int retried = (calls.size() - sends) / 2;
		Map<String, List<String>> answered = new ConcurrentHashMap<>();
		AtomicInteger refused = new AtomicInteger();
		long start = System.nanoTime();
		inParallel(calls, 8, (call) -> {
			if (call.after() > 0) {
				pause(call.after());
			}
			Answer answer = sendOverHttp(call.recipient().customer(), call.key());
			if (answer.status() == 202) {
				answered.computeIfAbsent(call.key(), (key) -> Collections.synchronizedList(new ArrayList<>()))
					.add(answer.id());
			}
			else {
				refused.incrementAndGet();
			}
			return null;
		});
		double seconds = (System.nanoTime() - start) / 1e9;
		long keysWithOneId = answered.values().stream().filter((ids) -> ids.stream().distinct().count() == 1).count();
		List<java.util.UUID> ids = answered.values().stream().map((list) -> UUID.fromString(list.get(0))).toList();
		long stored = this.app.getBean(org.springframework.jdbc.core.simple.JdbcClient.class)
			.sql("SELECT count(*) FROM communication WHERE customer_external_id LIKE 'F-K-%'")
			.query(Long.class)
			.single();
		settle(ids, Duration.ofMinutes(10));
		Counts counts = smsCounts(recipients);
		put(String.format(Locale.ROOT, "%,d sends, %.0f %% sent again with the same key (%,d keys twice more)", sends,
				share * 100, retried),
				String.format(Locale.ROOT,
						"%,d requests in %.1f s, %,d refused; %,d communications stored; %,d of %,d keys always "
								+ "answered with one id; SMS: %,d delivered once, %,d lost, %s",
						calls.size(), seconds, refused.get(), stored, keysWithOneId, answered.size(), counts.once(),
						counts.lost(), counts.twiceExplained()));
	}

	/**
	 * The broker is stopped and started again while sends are accepted and delivered.
	 */
	private void kafkaRestarted(int sends, int restarts) throws Exception {
		List<Recipient> recipients = recipients("F-KR-", sends, Channel.SMS);
		AtomicBoolean sending = new AtomicBoolean(true);
		List<UUID> ids = Collections.synchronizedList(new ArrayList<>());
		AtomicInteger refused = new AtomicInteger();
		ExecutorService sender = Executors.newSingleThreadExecutor();
		long start = System.nanoTime();
		Future<?> done = sender.submit(() -> {
			inParallel(recipients, 4, (recipient) -> {
				Answer answer = sendUntilAccepted(recipient.customer(), "kafka-" + UUID.randomUUID(), refused);
				ids.add(UUID.fromString(answer.id()));
				return null;
			});
			sending.set(false);
			return null;
		});
		int restarted = 0;
		Duration down = Duration.ofSeconds(5);
		while (restarted < restarts) {
			Thread.sleep(3_000);
			this.platform.restartKafka(down);
			restarted++;
			System.out.printf(Locale.ROOT, "Kafka restarted (%d of %d), %,d of %,d accepted so far%n", restarted,
					restarts, ids.size(), sends);
		}
		done.get();
		sender.shutdown();
		double accepting = (System.nanoTime() - start) / 1e9;
		settle(ids, Duration.ofMinutes(15));
		double seconds = (System.nanoTime() - start) / 1e9;
		Counts counts = smsCounts(recipients);
		put(String.format(Locale.ROOT, "Kafka broker stopped for %d s and started again %d times, %,d sends",
				down.toSeconds(), restarts, sends),
				String.format(Locale.ROOT,
						"%,d accepted (%,d answers other than 202, retried) in %.1f s; SMS after %.1f s: %,d "
								+ "delivered once, %,d lost, %s",
						ids.size(), refused.get(), accepting, seconds, counts.once(), counts.lost(),
						counts.twiceExplained()));
	}

	/**
	 * PostgreSQL is stopped and started again while clients send; they retry what was not
	 * accepted with the same key, as the problem detail tells them.
	 */
	private void postgresRestarted(int sends, Duration down) throws Exception {
		List<Recipient> recipients = recipients("F-PG-", sends, Channel.SMS);
		List<UUID> ids = Collections.synchronizedList(new ArrayList<>());
		List<Long> unavailableMillis = Collections.synchronizedList(new ArrayList<>());
		Map<Integer, AtomicInteger> answers = new ConcurrentHashMap<>();
		AtomicInteger problemJson = new AtomicInteger();
		AtomicInteger failures = new AtomicInteger();
		ExecutorService sender = Executors.newSingleThreadExecutor();
		Future<?> done = sender.submit(() -> {
			inParallel(recipients, 4, (recipient) -> {
				String key = "pg-" + UUID.randomUUID();
				while (true) {
					long start = System.nanoTime();
					Answer answer = sendOverHttp(recipient.customer(), key);
					answers.computeIfAbsent(answer.status(), (status) -> new AtomicInteger()).incrementAndGet();
					if (answer.status() == 202) {
						ids.add(UUID.fromString(answer.id()));
						return null;
					}
					if (answer.status() == 503) {
						unavailableMillis.add((System.nanoTime() - start) / 1_000_000);
						if (answer.problem()) {
							problemJson.incrementAndGet();
						}
					}
					else if (answer.status() < 0 && failures.getAndIncrement() == 0) {
						System.out.println("Not answered while PostgreSQL was away: " + answer.id());
					}
					pause(1_000);
				}
			});
			return null;
		});
		// some sends accepted before the database goes away
		while (ids.size() < sends / 4 && !done.isDone()) {
			Thread.sleep(50);
		}
		this.postgres.stop();
		System.out.printf(Locale.ROOT, "PostgreSQL stopped, %,d of %,d accepted so far%n", ids.size(), sends);
		Thread.sleep(down.toMillis());
		this.postgres.start();
		System.out.println("PostgreSQL started again");
		done.get();
		sender.shutdown();
		settle(ids, Duration.ofMinutes(15));
		Counts counts = smsCounts(recipients);
		List<Long> sorted = unavailableMillis.stream().sorted().toList();
		put(String.format(Locale.ROOT, "PostgreSQL stopped for %d s while %,d sends were made", down.toSeconds(),
				sends),
				String.format(Locale.ROOT,
						"answers %s; %,d × 503 (%,d as problem details), answered in p50 %,d ms, max %,d "
								+ "ms; %,d accepted; SMS: %,d delivered once, %,d lost, %s",
						answers, sorted.size(), problemJson.get(), percentile(sorted, 0.5), percentile(sorted, 1.0),
						ids.size(), counts.once(), counts.lost(), counts.twiceExplained()));
	}

	private void temporaryRefusals(int sends, double rate) throws Exception {
		List<Recipient> busy = recipients("F-T-", sends, Channel.EMAIL);
		this.smtp.refuseShare(rate);
		long start = System.nanoTime();
		List<UUID> sent = accept(busy);
		settle(sent, Duration.ofMinutes(10));
		double seconds = (System.nanoTime() - start) / 1e9;
		this.smtp.refuseShare(0);
		long delivered = busy.stream().filter((r) -> this.smtp.received(r.email()) >= 1).count();
		long twice = busy.stream().filter((r) -> this.smtp.received(r.email()) > 1).count();
		long refusedAttempts = busy.stream().mapToInt((r) -> this.smtp.attempts(r.email())).sum() - delivered;
		put(String.format(Locale.ROOT, "SMTP 4xx on %.0f %% of attempts, %,d invoices", rate * 100, sends),
				String.format(Locale.ROOT, "%,d delivered (%.1f %%), %,d twice, %,d attempts refused, %.1f s",
						delivered, 100.0 * delivered / sends, twice, refusedAttempts, seconds));
	}

	private void permanentRefusals(int refused) throws Exception {
		List<Recipient> bounced = recipients("F-refused-", refused, Channel.EMAIL);
		settle(accept(bounced), Duration.ofMinutes(5));
		int mostAttempts = bounced.stream().mapToInt((r) -> this.smtp.attempts(r.email())).max().orElse(0);
		long suppressed = bounced.stream()
			.filter((r) -> this.customers.findByExternalId(r.customer())
				.map((customer) -> customer.email().state() == ContactState.BOUNCED)
				.orElse(false))
			.count();
		put(String.format(Locale.ROOT, "SMTP 550 5.1.1 for %,d addresses", refused), String.format(Locale.ROOT,
				"at most %d attempt(s) per address, %,d of %,d suppressed", mostAttempts, suppressed, refused));
	}

	/** One message the SMTP server never answers; others sent at a steady pace. */
	private void smtpHangs(int flowing, double pace) throws Exception {
		accept(recipients("F-hangs-", 1, Channel.EMAIL));
		List<Recipient> others = recipients("F-F-", flowing, Channel.EMAIL);
		Map<String, Long> acceptedAt = new LinkedHashMap<>();
		List<UUID> flows = paced(others, pace, acceptedAt);
		settle(flows, Duration.ofMinutes(5));
		List<Long> delays = others.stream()
			.map((r) -> this.smtp.acceptedFor(r.email())
				.stream()
				.mapToLong(ScriptedSmtpServer.Accepted::at)
				.min()
				.orElse(Long.MAX_VALUE) - acceptedAt.get(r.customer()))
			.sorted()
			.toList();
		long delivered = others.stream().filter((r) -> this.smtp.received(r.email()) == 1).count();
		put(String.format(Locale.ROOT,
				"SMTP server hangs on one message, %,d others sent meanwhile at %.0f/s (read timeout %s)", flowing,
				pace, this.app.getEnvironment().getProperty("ccm.delivery.email.read-timeout", "4s")),
				String.format(Locale.ROOT,
						"%,d of %,d others delivered once; delay accept → server p50 %,d ms, p99 %,d ms", delivered,
						flowing, percentile(delays, 0.5), percentile(delays, 0.99)));
		// the hanging message is retried until max-age and then parked; not waited for
	}

	/**
	 * One SMS the Twilio stand-in never answers; other SMS and emails sent meanwhile at a
	 * steady pace.
	 */
	private void twilioHangs(int flowing, double pace) throws Exception {
		Recipient stuck = new Recipient("F-SMS-stuck", "f-sms-stuck@example.com", HANGING_NUMBER);
		upsert(stuck, Channel.SMS);
		List<UUID> hanging = accept(List.of(stuck));
		List<Recipient> sms = recipients("F-SMS-F-", flowing, Channel.SMS);
		List<Recipient> emails = recipients("F-SMS-E-", Math.max(1, flowing / 4), Channel.EMAIL);
		List<Recipient> all = new ArrayList<>();
		for (int i = 0; i < sms.size(); i++) {
			all.add(sms.get(i));
			if (i % 4 == 0 && i / 4 < emails.size()) {
				all.add(emails.get(i / 4));
			}
		}
		Map<String, Long> acceptedAt = new LinkedHashMap<>();
		List<UUID> flows = paced(all, pace, acceptedAt);
		settle(flows, Duration.ofMinutes(5));
		Map<String, Long> smsAt = smsFirstReceived();
		List<Long> smsDelays = sms.stream()
			.map((r) -> smsAt.getOrDefault(r.phone(), Long.MAX_VALUE) - acceptedAt.get(r.customer()))
			.sorted()
			.toList();
		List<Long> emailDelays = emails.stream()
			.map((r) -> this.smtp.acceptedFor(r.email())
				.stream()
				.mapToLong(ScriptedSmtpServer.Accepted::at)
				.min()
				.orElse(Long.MAX_VALUE) - acceptedAt.get(r.customer()))
			.sorted()
			.toList();
		Counts counts = smsCounts(sms);
		CommunicationView stuckView = this.communications.find(hanging.get(0)).orElseThrow();
		List<String> reasons = stuckView.deliveries()
			.stream()
			.filter((d) -> d.channel() == Channel.SMS)
			.flatMap((d) -> d.history().stream())
			.filter((change) -> change.status() == DeliveryStatus.TEMPORARY_FAILURE)
			.map((change) -> String.valueOf(change.reason()))
			.toList();
		put(String.format(Locale.ROOT,
				"Twilio stand-in hangs on one number, %,d other SMS and %,d emails sent meanwhile at %.0f/s (Twilio read timeout %s)",
				sms.size(), emails.size(), pace,
				this.app.getEnvironment().getProperty("ccm.delivery.sms.twilio.read-timeout", "4s")),
				String.format(Locale.ROOT,
						"SMS: %,d delivered once, %,d lost, %s; delay accept → stand-in p50 %,d ms, p99 %,d ms; "
								+ "email p50 %,d ms, p99 %,d ms; the hanging SMS timed out %d times so far (%s)",
						counts.once(), counts.lost(), counts.twiceExplained(), percentile(smsDelays, 0.5),
						percentile(smsDelays, 0.99), percentile(emailDelays, 0.5), percentile(emailDelays, 0.99),
						reasons.size(), reasons.isEmpty() ? "no retry seen" : reasons.get(0).replace('|', '/')));
	}

	private void replayed() throws Exception {
		int before = this.smtp.receivedInAll();
		int replayed = replay("ccm.delivery.email");
		settle(accept(recipients("F-M-", 1, Channel.EMAIL)), Duration.ofMinutes(2));
		put(String.format(Locale.ROOT, "email topic replayed from offset 0 (%,d records)", replayed),
				String.format(Locale.ROOT, "%,d extra messages", this.smtp.receivedInAll() - before - 1));
	}

	/**
	 * Customers reachable on one channel only, each with an address and number of its
	 * own.
	 */
	private List<Recipient> recipients(String prefix, int count, Channel channel) throws Exception {
		List<Recipient> recipients = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			String id = prefix + String.format(Locale.ROOT, "%06d", i);
			recipients.add(new Recipient(id, id.toLowerCase(Locale.ROOT) + "@example.com",
					String.format(Locale.ROOT, "+4479%08d", this.phones.incrementAndGet())));
		}
		inParallel(recipients, 4, (recipient) -> {
			upsert(recipient, channel);
			return null;
		});
		return recipients;
	}

	private void upsert(Recipient recipient, Channel channel) {
		this.customers.upsert(recipient.customer(),
				new CustomerDetails("Alice Martin", Locale.UK, ZoneId.of("Europe/London"), recipient.email(),
						recipient.phone(), null, Map.of(), Map.of(Purpose.TRANSACTIONAL, List.of(channel)), null,
						List.of()));
	}

	private List<UUID> accept(List<Recipient> recipients) {
		List<UUID> ids = new ArrayList<>();
		for (Recipient recipient : recipients) {
			ids.add(this.communications
				.accept(new SendRequest(recipient.customer(), "invoice", Purpose.TRANSACTIONAL,
						CompositionBenchmark.invoice(), null), "fault-" + UUID.randomUUID(), "bench")
				.communicationId());
		}
		return ids;
	}

	/** Accepts one communication per recipient at a steady pace, noting when. */
	private List<UUID> paced(List<Recipient> recipients, double perSecond, Map<String, Long> acceptedAt)
			throws InterruptedException {
		List<UUID> ids = new ArrayList<>();
		long start = System.nanoTime();
		for (int i = 0; i < recipients.size(); i++) {
			long due = start + (long) (i * 1e9 / perSecond);
			long wait = due - System.nanoTime();
			if (wait > 0) {
				TimeUnit.NANOSECONDS.sleep(wait);
			}
			acceptedAt.put(recipients.get(i).customer(), System.currentTimeMillis());
			ids.addAll(accept(List.of(recipients.get(i))));
		}
		return ids;
	}

	private Answer sendUntilAccepted(String customer, String key, AtomicInteger refused) {
		while (true) {
			Answer answer = sendOverHttp(customer, key);
			if (answer.status() == 202) {
				return answer;
			}
			refused.incrementAndGet();
			pause(1_000);
		}
	}

	/** {@code POST /communications} as a back-office client makes it; any answer. */
	private Answer sendOverHttp(String customer, String key) {
		String body = this.json.writeValueAsString(Map.of("customer", customer, "template", "invoice", "purpose",
				"TRANSACTIONAL", "data", CompositionBenchmark.invoice()));
		try {
			HttpResponse<String> response = this.http
				.send(HttpRequest.newBuilder(URI.create(this.api + "/communications"))
					.timeout(Duration.ofSeconds(60))
					.header("Authorization", "Bearer " + API_KEY)
					.header("Content-Type", "application/json")
					.header("Idempotency-Key", key)
					.POST(HttpRequest.BodyPublishers.ofString(body))
					.build(), HttpResponse.BodyHandlers.ofString());
			boolean problem = response.headers()
				.firstValue("Content-Type")
				.map((type) -> type.startsWith("application/problem+json"))
				.orElse(false);
			String id = (response.statusCode() == 202) ? this.json.readTree(response.body()).path("id").asString()
					: null;
			return new Answer(response.statusCode(), id, problem);
		}
		catch (IOException ex) {
			return new Answer(-1, ex.toString(), false);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** Waits until none of the communications is still on its way. */
	private void settle(List<UUID> ids, Duration atMost) throws InterruptedException {
		long deadline = System.nanoTime() + atMost.toNanos();
		List<UUID> open = new ArrayList<>(ids);
		while (!open.isEmpty() && System.nanoTime() < deadline) {
			try {
				List<UUID> settled = new ArrayList<>();
				for (int from = 0; from < open.size(); from += 1000) {
					for (CommunicationOutcome outcome : this.communications
						.outcomes(open.subList(from, Math.min(open.size(), from + 1000)))) {
						if (outcome.status() == CommunicationStatus.SENT
								|| outcome.status() == CommunicationStatus.UNDELIVERED) {
							settled.add(outcome.communicationId());
						}
					}
				}
				open.removeAll(new java.util.HashSet<>(settled));
			}
			catch (RuntimeException ex) {
				// the database may be on its way back
			}
			if (!open.isEmpty()) {
				Thread.sleep(500);
			}
		}
		if (!open.isEmpty()) {
			System.out.printf(Locale.ROOT, "%,d of %,d communications still on their way after %s%n", open.size(),
					ids.size(), atMost);
		}
	}

	/** What the Twilio stand-in took, per number. */
	private Counts smsCounts(List<Recipient> recipients) {
		Map<String, Integer> received = new ConcurrentHashMap<>();
		for (ServeEvent event : this.twilio.getAllServeEvents()) {
			if (event.getResponse().getStatus() == 201
					&& event.getResponseDefinition().getFixedDelayMilliseconds() == null) {
				received.merge(to(event), 1, Integer::sum);
			}
		}
		int once = 0;
		int lost = 0;
		List<String> twice = new ArrayList<>();
		for (Recipient recipient : recipients) {
			int count = received.getOrDefault(recipient.phone(), 0);
			once += (count == 1) ? 1 : 0;
			lost += (count == 0) ? 1 : 0;
			if (count > 1) {
				twice.add(recipient.customer());
			}
		}
		return new Counts(once, lost, twice.size(), timedOutBefore(twice));
	}

	/**
	 * Of the customers who got a message twice, those whose delivery had a provider call
	 * time out first: the ambiguous case docs/delivery-guarantees.md names.
	 */
	private long timedOutBefore(List<String> customers) {
		if (customers.isEmpty()) {
			return 0;
		}
		return this.app.getBean(org.springframework.jdbc.core.simple.JdbcClient.class)
			.sql("""
					SELECT count(DISTINCT c.customer_external_id) FROM delivery_status_history h
					  JOIN delivery d ON d.id = h.delivery_id JOIN communication c ON c.id = d.communication_id
					 WHERE c.customer_external_id IN (:customers) AND h.status = 'TEMPORARY_FAILURE'
					   AND h.reason LIKE '%did not answer in time%'""")
			.param("customers", customers)
			.query(Long.class)
			.single();
	}

	private Map<String, Long> smsFirstReceived() {
		Map<String, Long> at = new ConcurrentHashMap<>();
		for (ServeEvent event : this.twilio.getAllServeEvents()) {
			at.merge(to(event), event.getRequest().getLoggedDate().getTime(), Math::min);
		}
		return at;
	}

	private static String to(ServeEvent event) {
		for (String pair : event.getRequest().getBodyAsString().split("&")) {
			if (pair.startsWith("To=")) {
				return URLDecoder.decode(pair.substring(3), StandardCharsets.UTF_8);
			}
		}
		return "";
	}

	@SuppressWarnings("unchecked")
	private int replay(String topic) throws Exception {
		KafkaTemplate<String, String> kafka = this.app.getBean(KafkaTemplate.class);
		Properties props = new Properties();
		props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, this.platform.brokers());
		props.put(ConsumerConfig.GROUP_ID_CONFIG, "fault-replay-" + UUID.randomUUID());
		props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		int replayed = 0;
		try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
				new StringDeserializer())) {
			List<TopicPartition> partitions = new ArrayList<>();
			for (PartitionInfo info : consumer.partitionsFor(topic)) {
				partitions.add(new TopicPartition(topic, info.partition()));
			}
			consumer.assign(partitions);
			consumer.seekToBeginning(partitions);
			Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
			while (partitions.stream().anyMatch((partition) -> consumer.position(partition) < end.get(partition))) {
				for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofSeconds(1))) {
					kafka.send(topic, record.key(), record.value());
					replayed++;
				}
			}
			kafka.flush();
		}
		return replayed;
	}

	private static <T> void inParallel(List<T> items, int threads, Function<T, Void> work) throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		try {
			List<Future<Void>> done = new ArrayList<>();
			for (T item : items) {
				done.add(pool.submit(() -> work.apply(item)));
			}
			for (Future<Void> future : done) {
				future.get();
			}
		}
		finally {
			pool.shutdownNow();
		}
	}

	private static void pause(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static long percentile(List<Long> sorted, double share) {
		if (sorted.isEmpty()) {
			return 0;
		}
		return sorted.get(Math.max(0, (int) Math.ceil(sorted.size() * share) - 1));
	}

	private static String loadAverage() {
		try {
			String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
			return parts[0] + " " + parts[1] + " " + parts[2];
		}
		catch (IOException ex) {
			return "unknown";
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	private void put(String what, String result) {
		this.results.put(what, result);
		System.out.println(what + ": " + result);
	}

	record Recipient(String customer, String email, String phone) {
	}

	record Call(Recipient recipient, String key, int after) {
	}

	record Answer(int status, String id, boolean problem) {
	}

	/**
	 * @param timedOut of those received twice, how many had a provider call time out
	 * before
	 */
	record Counts(int once, int lost, int twice, long timedOut) {

		String twiceExplained() {
			return (this.twice == 0) ? "0 twice" : String.format(Locale.ROOT,
					"%,d twice (%,d of them after a provider call that timed out)", this.twice, this.timedOut);
		}

	}

	/** How Twilio's form body spells a number. */
	static final class URLEncoded {

		static String plus(String number) {
			return number.replace("+", "%2B");
		}

	}

}
