package org.ccm.delivery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.MessagingException;
import kafka.server.BrokerServer;
import org.ccm.core.Channel;
import org.ccm.core.ContactState;
import org.ccm.core.CustomerDetails;
import org.ccm.core.CustomerProfile;
import org.ccm.core.Customers;
import org.ccm.core.PostalAddress;
import org.ccm.core.Purpose;
import org.ccm.core.testing.PostgresTestConfiguration;
import org.ccm.delivery.testing.RestartablePostgres;
import org.ccm.templates.Compositions;
import org.ccm.templates.Templates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyMap;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.BDDMockito.willAnswer;

/**
 * Small versions of the fault suite's restarts: a Kafka broker and a PostgreSQL server of
 * this class's own (the other test classes share theirs), stopped and started again in
 * place while invoices are sent, and what each customer received counted at the SMTP
 * server.
 */
@SpringBootTest(classes = DeliveryTestApplication.class,
		properties = { "spring.kafka.consumer.auto-offset-reset=earliest", "ccm.delivery.kafka.partitions=1",
				"spring.datasource.hikari.connection-timeout=2000",
				"spring.kafka.producer.properties.max.block.ms=2000", "ccm.delivery.kafka.send-timeout=3s",
				"ccm.delivery.kafka.resubmit-after=2s", "ccm.delivery.kafka.resubmit-check=1s",
				"ccm.delivery.retries.schedule=500ms,1s,2s", "ccm.delivery.retries.max-age=2m",
				"ccm.delivery.email.from=Billing <billing@example.com>" })
@AutoConfigureMockMvc
@Import({ TrackingStandIn.class, RestartTests.OwnServers.class })
@DirtiesContext
class RestartTests {

	static final RestartablePostgres postgres = RestartablePostgres.create();

	static final EmbeddedKafkaKraftBroker kafka = startKafka();

	static final GreenMail mail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));

	static {
		mail.start();
	}

	@DynamicPropertySource
	static void mailServer(DynamicPropertyRegistry registry) {
		registry.add("spring.mail.host", () -> "127.0.0.1");
		registry.add("spring.mail.port", () -> mail.getSmtp().getPort());
	}

	/**
	 * This class's database and broker, stopped when the context closes: after the
	 * connection pool and the Kafka clients that depend on them.
	 */
	@TestConfiguration(proxyBeanMethods = false)
	static class OwnServers {

		@Bean
		JdbcConnectionDetails restartablePostgres() {
			JdbcConnectionDetails connection = PostgresTestConfiguration.connectionTo(postgres.jdbcUrl());
			class StoppedOnClose implements JdbcConnectionDetails, DisposableBean {

				@Override
				public String getUsername() {
					return connection.getUsername();
				}

				@Override
				public String getPassword() {
					return connection.getPassword();
				}

				@Override
				public String getJdbcUrl() {
					return connection.getJdbcUrl();
				}

				@Override
				public void destroy() throws IOException {
					postgres.stop();
				}

			}
			return new StoppedOnClose();
		}

		@Bean
		KafkaConnectionDetails restartableKafka() {
			class StoppedOnClose implements KafkaConnectionDetails, DisposableBean {

				@Override
				public List<String> getBootstrapServers() {
					return List.of(kafka.getBrokersAsString().split(","));
				}

				@Override
				public void destroy() {
					kafka.destroy();
				}

			}
			return new StoppedOnClose();
		}

	}

	@MockitoSpyBean
	Templates templates;

	@MockitoSpyBean
	Compositions compositions;

	@Autowired
	MockMvc mvc;

	@Autowired
	Customers customers;

	@Autowired
	Communications communications;

	private final JsonMapper json = JsonMapper.builder().build();

	private static volatile boolean stubbed;

	@BeforeEach
	void standInDocuments() {
		if (!stubbed) {
			stubbed = true;
			willAnswer((call) -> TestDocuments.validate(call.getArgument(0), call.getArgument(1))).given(this.templates)
				.validate(anyString(), anyMap());
			willAnswer((call) -> TestDocuments.compose(call.getArgument(0))).given(this.compositions).compose(any());
		}
	}

	@AfterAll
	static void stopMail() {
		mail.stop();
	}

	@Test
	void aKafkaBrokerRestartedWhileSendingLosesNothingAndDoublesNothing() throws Exception {
		List<CustomerProfile> recipients = new ArrayList<>();
		for (int i = 0; i < 9; i++) {
			recipients.add(emailCustomer("kafka-restart"));
		}
		List<UUID> sent = new ArrayList<>();
		for (CustomerProfile customer : recipients.subList(0, 3)) {
			sent.add(accept(customer));
		}
		Collection<BrokerServer> brokers = kafka.getCluster().brokers().values();
		brokers.forEach(BrokerServer::shutdown);
		brokers.forEach(BrokerServer::awaitShutdown);
		// accepted while the broker is away: committed with their events, published later
		for (CustomerProfile customer : recipients.subList(3, 6)) {
			sent.add(accept(customer));
		}
		Thread.sleep(3_000);
		brokers.forEach(BrokerServer::startup);
		for (CustomerProfile customer : recipients.subList(6, 9)) {
			sent.add(accept(customer));
		}

		for (UUID id : sent) {
			assertThat(sentOnce(id)).isTrue();
		}
		for (CustomerProfile customer : recipients) {
			assertThat(receivedBy(customer.email().value())).as("messages at the server for " + customer.externalId())
				.isEqualTo(1);
		}
	}

	@Test
	void whilePostgresRestartsTheApiAnswersUnavailableAtOnceAndNothingIsLostOrDoubled() throws Exception {
		CustomerProfile before = emailCustomer("pg-before");
		CustomerProfile during = emailCustomer("pg-during");
		CustomerProfile after = emailCustomer("pg-after");
		List<UUID> accepted = new ArrayList<>();
		accepted.add(acceptedId(post(before.externalId(), "key-" + UUID.randomUUID())));

		postgres.stop();
		String key = "key-" + UUID.randomUUID();
		long start = System.nanoTime();
		MvcResult refused = post(during.externalId(), key);
		Duration answeredIn = Duration.ofNanos(System.nanoTime() - start);
		assertThat(refused.getResponse().getStatus()).isEqualTo(503);
		assertThat(refused.getResponse().getContentType()).startsWith(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		assertThat(refused.getResponse().getHeader("Retry-After")).isNotBlank();
		assertThat(problem(refused).path("type").asString()).endsWith("unavailable");
		// one wait for a connection (2 s here), not a request left hanging
		assertThat(answeredIn).isLessThan(Duration.ofSeconds(10));

		postgres.start();
		// the client sends again with the same key until it is accepted
		MvcResult again = await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> post(during.externalId(), key), (result) -> result.getResponse().getStatus() == 202);
		accepted.add(acceptedId(again));
		accepted.add(acceptedId(post(after.externalId(), "key-" + UUID.randomUUID())));

		for (UUID id : accepted) {
			assertThat(sentOnce(id)).isTrue();
		}
		for (CustomerProfile customer : List.of(before, during, after)) {
			assertThat(receivedBy(customer.email().value())).as("messages at the server for " + customer.externalId())
				.isEqualTo(1);
		}
	}

	private CustomerProfile emailCustomer(String prefix) {
		String externalId = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
		return this.customers.upsert(externalId,
				new CustomerDetails("Ada Lovelace", Locale.ENGLISH, ZoneId.of("Europe/London"),
						externalId + "@example.com", null,
						new PostalAddress(List.of("12 St James's Square"), "SW1Y 4JH", "London", "GB",
								ContactState.VERIFIED),
						Map.of(), Map.of(Purpose.TRANSACTIONAL, List.of(Channel.EMAIL)), null, List.of()));
	}

	private UUID accept(CustomerProfile customer) {
		return this.communications
			.accept(new SendRequest(customer.externalId(), "invoice", Purpose.TRANSACTIONAL,
					Map.of("invoiceNumber", "INV-" + UUID.randomUUID()), null), "key-" + UUID.randomUUID(), "client-a")
			.communicationId();
	}

	private MvcResult post(String customer, String idempotencyKey) throws Exception {
		return this.mvc
			.perform(MockMvcRequestBuilders.post("/api/v1/communications")
				.header("Idempotency-Key", idempotencyKey)
				.contentType(MediaType.APPLICATION_JSON)
				.content(DeliveryIntegrationTest.invoice(customer, "INV-" + idempotencyKey, null)))
			.andReturn();
	}

	private UUID acceptedId(MvcResult result) throws Exception {
		assertThat(result.getResponse().getStatus()).isEqualTo(202);
		return UUID.fromString(problem(result).path("id").asString());
	}

	private JsonNode problem(MvcResult result) throws Exception {
		return this.json.readTree(result.getResponse().getContentAsString());
	}

	/** Waits until the communication's email is final, and says whether it was sent. */
	private boolean sentOnce(UUID id) {
		CommunicationView view = await().atMost(Duration.ofSeconds(90))
			.pollInterval(Duration.ofMillis(250))
			.until(() -> this.communications.find(id).orElseThrow(),
					(found) -> !found.deliveries().isEmpty() && found.deliveries()
						.stream()
						.allMatch((delivery) -> delivery.status() == DeliveryStatus.SENT
								|| delivery.status() == DeliveryStatus.TECHNICAL_FAILURE
								|| delivery.status() == DeliveryStatus.PERMANENT_FAILURE));
		return DeliveryIntegrationTest.on(view, Channel.EMAIL).status() == DeliveryStatus.SENT;
	}

	private static long receivedBy(String address) {
		return Arrays.stream(mail.getReceivedMessages()).filter((message) -> {
			try {
				return Arrays.stream(message.getAllRecipients()).anyMatch((to) -> to.toString().equals(address));
			}
			catch (MessagingException ex) {
				throw new IllegalStateException(ex);
			}
		}).count();
	}

	private static EmbeddedKafkaKraftBroker startKafka() {
		// the broker sets these JVM-wide; the other test contexts of this JVM keep theirs
		String bootstrap = System.getProperty("spring.kafka.bootstrap-servers");
		String embedded = System.getProperty("spring.embedded.kafka.brokers");
		// a fixed port, so that the restarted broker is found where it was
		EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1).kafkaPorts(freePort());
		broker.afterPropertiesSet();
		restore("spring.kafka.bootstrap-servers", bootstrap);
		restore("spring.embedded.kafka.brokers", embedded);
		return broker;
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void restore(String property, String value) {
		if (value != null) {
			System.setProperty(property, value);
		}
		else {
			System.clearProperty(property);
		}
	}

}
