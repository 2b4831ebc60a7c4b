package org.ccm.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import kafka.server.BrokerServer;
import org.ccm.CcmApplication;
import org.ccm.core.testing.EmbeddedPostgresServer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * The whole platform for an end-to-end benchmark: embedded PostgreSQL, an embedded Kafka
 * broker and the application on a free HTTP port, quiet logging. Each benchmark adds its
 * own settings (mail server, limits, retry schedule).
 */
public final class BenchPlatform implements AutoCloseable {

	/** The tracking links' signing secret of every benchmark run. */
	public static final String SIGNING_SECRET = "bench-signing-secret-0123456789-0123456789";

	private final EmbeddedKafkaKraftBroker kafka;

	private final ConfigurableApplicationContext app;

	private BenchPlatform(EmbeddedKafkaKraftBroker kafka, ConfigurableApplicationContext app) {
		this.kafka = kafka;
		this.app = app;
	}

	/**
	 * Starts the servers and the application.
	 * @param args the command line's arguments, passed on to the application
	 * @param settings the benchmark's own properties; they win over the application's
	 * configuration and the defaults here
	 */
	public static BenchPlatform start(String[] args, Map<String, ?> settings) {
		return start(args, settings, 0);
	}

	/**
	 * Starts the servers and the application, the Kafka broker on a given port so that it
	 * can be restarted on it ({@link #restartKafka}). A {@code spring.datasource.url}
	 * among the settings replaces the embedded PostgreSQL server.
	 */
	public static BenchPlatform start(String[] args, Map<String, ?> settings, int kafkaPort) {
		EmbeddedKafkaKraftBroker kafka = new EmbeddedKafkaKraftBroker(1, 1).kafkaPorts(kafkaPort);
		kafka.afterPropertiesSet();
		Map<String, Object> properties = new LinkedHashMap<>();
		if (!settings.containsKey("spring.datasource.url")) {
			PostgresStatements.prepare();
			properties.put("spring.datasource.url", EmbeddedPostgresServer.newDatabase());
		}
		properties.put("spring.datasource.username", "postgres");
		properties.put("spring.datasource.password", "postgres");
		properties.put("spring.kafka.bootstrap-servers", kafka.getBrokersAsString());
		properties.put("server.port", 0);
		properties.put("ccm.tracking.signing-secret", SIGNING_SECRET);
		properties.put("logging.level.root", "WARN");
		properties.put("logging.level.org.apache.kafka", "ERROR");
		properties.put("logging.level.kafka", "ERROR");
		properties.putAll(settings);
		// as arguments: they must beat the application's own configuration
		List<String> arguments = new ArrayList<>(Arrays.asList(args));
		properties.forEach((name, value) -> arguments.add("--" + name + "=" + value));
		ConfigurableApplicationContext app = new SpringApplicationBuilder(CcmApplication.class)
			.run(arguments.toArray(String[]::new));
		return new BenchPlatform(kafka, app);
	}

	public ConfigurableApplicationContext app() {
		return this.app;
	}

	public String brokers() {
		return this.kafka.getBrokersAsString();
	}

	/**
	 * Stops the Kafka broker, waits, and starts it again on the same port with the same
	 * logs, as an operator restarting it would.
	 */
	public void restartKafka(Duration down) throws InterruptedException {
		Collection<BrokerServer> brokers = this.kafka.getCluster().brokers().values();
		brokers.forEach(BrokerServer::shutdown);
		brokers.forEach(BrokerServer::awaitShutdown);
		Thread.sleep(down.toMillis());
		brokers.forEach(BrokerServer::startup);
	}

	public int port() {
		return Integer.parseInt(this.app.getEnvironment().getProperty("local.server.port"));
	}

	/**
	 * Runs a benchmark on a started platform, closes the platform and exits the JVM with
	 * 0, or 1 when the benchmark threw.
	 */
	public static <P extends AutoCloseable> void runAndExit(P platform, Benchmark<P> benchmark) throws Exception {
		int code = 0;
		try {
			benchmark.run(platform);
		}
		catch (Exception ex) {
			ex.printStackTrace();
			code = 1;
		}
		finally {
			platform.close();
		}
		System.exit(code);
	}

	/** A benchmark run on a started platform. */
	public interface Benchmark<P> {

		void run(P platform) throws Exception;

	}

	@Override
	public void close() {
		this.app.close();
		this.kafka.destroy();
		EmbeddedPostgresServer.stop();
	}

}
