package org.ccm.bench.delivery;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

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
import org.ccm.delivery.CommunicationView;
import org.ccm.delivery.Communications;
import org.ccm.delivery.DeliveryStatus;
import org.ccm.delivery.DeliveryView;
import org.ccm.delivery.SendRequest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * The delivery fault suite: the whole application on embedded PostgreSQL and Kafka sends
 * invoices to an SMTP server that misbehaves on purpose ({@link MisbehavingSmtpServer}),
 * and what each customer received is counted at the server.
 * <ul>
 * <li>4xx on a share of the attempts: every message arrives, once;</li>
 * <li>5xx for an address: one attempt, the address suppressed;</li>
 * <li>a server that hangs on one message: the others keep flowing (delay from accept to
 * the server, p50/p99);</li>
 * <li>the email topic published again from offset 0: no message sent twice.</li>
 * </ul>
 * Sizes: {@code -Dccm.bench.faults.sends=500 -Dccm.bench.faults.refused=50
 * -Dccm.bench.faults.flowing=200 -Dccm.bench.faults.temporary-rate=0.2}. Run:
 * {@code ccm-bench/run faults}.
 */
public final class FaultSuite {

	private final ConfigurableApplicationContext app;

	private final MisbehavingSmtpServer smtp;

	private final String brokers;

	private final Customers customers;

	private final Communications communications;

	private final Map<String, String> results = new LinkedHashMap<>();

	private FaultSuite(ConfigurableApplicationContext app, MisbehavingSmtpServer smtp, String brokers) {
		this.app = app;
		this.smtp = smtp;
		this.brokers = brokers;
		this.customers = app.getBean(Customers.class);
		this.communications = app.getBean(Communications.class);
	}

	public static void main(String[] args) throws Exception {
		MisbehavingSmtpServer smtp = new MisbehavingSmtpServer();
		Map<String, Object> settings = new LinkedHashMap<>();
		settings.put("spring.mail.host", "127.0.0.1");
		settings.put("spring.mail.port", smtp.port());
		settings.put("ccm.delivery.print.batch-directory", Path.of("target", "bench-print").toAbsolutePath());
		// an outage compressed from hours into seconds
		settings.put("ccm.delivery.retries.schedule", "200ms,500ms,1s,2s");
		settings.put("ccm.delivery.retries.max-age", "30s");
		settings.put("ccm.delivery.email.read-timeout", "2s");
		BenchPlatform platform = BenchPlatform.start(args, settings);
		ConfigurableApplicationContext app = platform.app();
		int code = 0;
		try {
			new FaultSuite(app, smtp, platform.brokers()).run();
		}
		catch (Exception ex) {
			ex.printStackTrace();
			code = 1;
		}
		finally {
			platform.close();
			smtp.close();
		}
		System.exit(code);
	}

	private void run() throws Exception {
		int sends = Integer.getInteger("ccm.bench.faults.sends", 500);
		int refused = Integer.getInteger("ccm.bench.faults.refused", 50);
		int flowing = Integer.getInteger("ccm.bench.faults.flowing", 200);
		double rate = Double.parseDouble(System.getProperty("ccm.bench.faults.temporary-rate", "0.2"));

		// 4xx on a share of the attempts
		List<String> busy = customers("F-T-", sends);
		this.smtp.temporaryRate = rate;
		long start = System.nanoTime();
		List<UUID> sent = send(busy);
		settle(sent, Duration.ofMinutes(10));
		double seconds = (System.nanoTime() - start) / 1e9;
		this.smtp.temporaryRate = 0;
		long delivered = busy.stream().filter((id) -> this.smtp.received(address(id)) >= 1).count();
		long twice = busy.stream().filter((id) -> this.smtp.received(address(id)) > 1).count();
		long refusedAttempts = busy.stream().mapToInt((id) -> this.smtp.attempts(address(id))).sum() - delivered;
		put(String.format(Locale.ROOT, "SMTP 4xx on %.0f %% of attempts, %,d invoices", rate * 100, sends),
				String.format(Locale.ROOT, "%,d delivered (%.1f %%), %,d twice, %,d attempts refused, %.1f s",
						delivered, 100.0 * delivered / sends, twice, refusedAttempts, seconds));

		// 5xx for an address
		List<String> bounced = customers("F-refused-", refused);
		settle(send(bounced), Duration.ofMinutes(5));
		int mostAttempts = bounced.stream().mapToInt((id) -> this.smtp.attempts(address(id))).max().orElse(0);
		long suppressed = bounced.stream()
			.filter((id) -> this.customers.findByExternalId(id)
				.map((customer) -> customer.email().state() == ContactState.BOUNCED)
				.orElse(false))
			.count();
		put(String.format(Locale.ROOT, "SMTP 550 5.1.1 for %,d addresses", refused), String.format(Locale.ROOT,
				"at most %d attempt(s) per address, %,d of %,d suppressed", mostAttempts, suppressed, refused));

		// a server that hangs on one message
		List<String> stuck = customers("F-hangs-", 1);
		List<String> others = customers("F-F-", flowing);
		Map<String, Long> acceptedAt = new LinkedHashMap<>();
		List<UUID> hanging = send(stuck);
		List<UUID> flows = new ArrayList<>();
		for (String id : others) {
			acceptedAt.put(id, System.currentTimeMillis());
			flows.addAll(send(List.of(id)));
		}
		settle(flows, Duration.ofMinutes(5));
		long[] delays = others.stream()
			.mapToLong((id) -> this.smtp.receivedAt.getOrDefault(address(id), Long.MAX_VALUE) - acceptedAt.get(id))
			.sorted()
			.toArray();
		put(String.format(Locale.ROOT, "one message hangs at the server, %,d others sent meanwhile", flowing),
				String.format(Locale.ROOT, "%,d of %,d others delivered; delay accept → server p50 %,d ms, p99 %,d ms",
						others.stream().filter((id) -> this.smtp.received(address(id)) == 1).count(), flowing,
						delays[delays.length / 2], delays[(int) Math.ceil(delays.length * 0.99) - 1]));
		settle(hanging, Duration.ofMinutes(2));

		// the email topic read again from offset 0
		int before = this.smtp.receivedInAll();
		int replayed = replay("ccm.delivery.email");
		List<String> marker = customers("F-M-", 1);
		settle(send(marker), Duration.ofMinutes(2));
		put(String.format(Locale.ROOT, "email topic replayed from offset 0 (%,d records)", replayed),
				String.format(Locale.ROOT, "%,d extra messages", this.smtp.receivedInAll() - before - 1));

		System.out.println();
		System.out.println("| Fault | Result |");
		System.out.println("|---|---|");
		this.results.forEach((what, result) -> System.out.println("| " + what + " | " + result + " |"));
	}

	private List<String> customers(String prefix, int count) throws InterruptedException {
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			ids.add(prefix + String.format(Locale.ROOT, "%06d", i));
		}
		ExecutorService threads = Executors.newFixedThreadPool(4);
		for (String id : ids) {
			threads.submit(() -> this.customers.upsert(id,
					new CustomerDetails("Alice Martin", Locale.UK, java.time.ZoneId.of("Europe/London"), address(id),
							null, null, Map.of(), Map.of(Purpose.TRANSACTIONAL, List.of(Channel.EMAIL)), null,
							List.of())));
		}
		threads.shutdown();
		threads.awaitTermination(10, TimeUnit.MINUTES);
		return ids;
	}

	private List<UUID> send(List<String> customers) {
		List<UUID> ids = new ArrayList<>();
		for (String customer : customers) {
			ids.add(this.communications
				.accept(new SendRequest(customer, "invoice", Purpose.TRANSACTIONAL, CompositionBenchmark.invoice(),
						null), "fault-" + UUID.randomUUID(), "bench")
				.communicationId());
		}
		return ids;
	}

	/** Waits until no email delivery of the communications is still on its way. */
	private void settle(List<UUID> ids, Duration atMost) throws InterruptedException {
		long deadline = System.nanoTime() + atMost.toNanos();
		List<UUID> open = new ArrayList<>(ids);
		while (!open.isEmpty() && System.nanoTime() < deadline) {
			open.removeIf((id) -> this.communications.find(id).map(FaultSuite::settled).orElse(false));
			if (!open.isEmpty()) {
				Thread.sleep(200);
			}
		}
	}

	private static boolean settled(CommunicationView view) {
		List<DeliveryView> email = view.deliveries().stream().filter((d) -> d.channel() == Channel.EMAIL).toList();
		return !email.isEmpty() && email.stream()
			.allMatch((d) -> d.status() != DeliveryStatus.QUEUED && d.status() != DeliveryStatus.SENDING
					&& d.status() != DeliveryStatus.TEMPORARY_FAILURE);
	}

	@SuppressWarnings("unchecked")
	private int replay(String topic) throws Exception {
		KafkaTemplate<String, String> kafka = this.app.getBean(KafkaTemplate.class);
		Properties props = new Properties();
		props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, this.brokers);
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

	private static String address(String externalId) {
		return externalId.toLowerCase(Locale.ROOT) + "@example.com";
	}

	private void put(String what, String result) {
		this.results.put(what, result);
		System.out.println(what + ": " + result);
	}

}
