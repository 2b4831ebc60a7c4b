package org.ccm.delivery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.ccm.core.Channel;
import org.ccm.core.CustomerDetails;
import org.ccm.core.CustomerProfile;
import org.ccm.core.Customers;
import org.ccm.core.Purpose;
import org.ccm.core.testing.PostgresTestConfiguration;
import org.ccm.templates.Templates;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.kafka.test.utils.KafkaTestUtils;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.anyMap;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.BDDMockito.given;

/**
 * The outbox while Kafka is unreachable: the accepted communication is committed, its
 * publication stays incomplete, and it reaches the broker once when the broker is back
 * and publications are resubmitted. The application starts pointed at a closed port; the
 * broker of this test is the one that "comes back".
 */
@SpringBootTest(classes = DeliveryTestApplication.class,
		properties = { "spring.kafka.listener.auto-startup=false", "spring.kafka.admin.auto-create=false",
				"spring.kafka.producer.properties.max.block.ms=1500", "ccm.delivery.kafka.send-timeout=3s",
				"ccm.delivery.kafka.resubmit-after=0s" })
@EmbeddedKafka(partitions = 1, topics = "ccm.communications.requested")
@Import(PostgresTestConfiguration.class)
class KafkaOutageTests {

	static final String DEAD_BROKER = "127.0.0.1:" + closedPort();

	@DynamicPropertySource
	static void unreachableKafka(DynamicPropertyRegistry registry) {
		registry.add("spring.kafka.bootstrap-servers", () -> DEAD_BROKER);
	}

	@MockitoBean
	Templates templates;

	@Autowired
	Communications communications;

	@Autowired
	Customers customers;

	@Autowired
	DefaultKafkaProducerFactory<?, ?> producers;

	@Autowired
	EmbeddedKafkaBroker broker;

	@Autowired
	KafkaExternalization externalization;

	@Autowired
	JdbcClient jdbc;

	@Test
	void nothingCommittedIsLostWhileKafkaIsDown() {
		// the embedded broker sets a JVM-wide bootstrap property; make sure it did not
		// win
		assertThat(this.producers.getConfigurationProperties().get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG)).asString()
			.contains(DEAD_BROKER);
		given(this.templates.validate(anyString(), anyMap()))
			.willAnswer((call) -> TestDocuments.validate(call.getArgument(0), call.getArgument(1)));
		CustomerProfile customer = this.customers.upsert("outage-" + UUID.randomUUID(),
				new CustomerDetails("Grace Hopper", Locale.ENGLISH, ZoneId.of("UTC"), "grace@example.com", null, null,
						Map.of(), Map.of(Purpose.TRANSACTIONAL, List.of(Channel.EMAIL)), null, List.of()));

		UUID id = this.communications
			.accept(new SendRequest(customer.externalId(), "invoice", Purpose.TRANSACTIONAL,
					Map.of("invoiceNumber", "INV-9001"), null), "outage-key", "client-a")
			.communicationId();
		assertThat(this.communications.find(id)).isPresent();
		await().atMost(Duration.ofSeconds(30)).until(() -> "FAILED".equals(publicationStatus(id)));

		this.producers.updateConfigs(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, this.broker.getBrokersAsString()));
		this.producers.reset();
		this.externalization.resubmitIncomplete();

		await().atMost(Duration.ofSeconds(30)).until(() -> publicationStatus(id), "COMPLETED"::equals);
		List<ConsumerRecord<String, String>> records = requested();
		assertThat(records).filteredOn((record) -> record.value().contains(id.toString()))
			.singleElement()
			.satisfies((record) -> assertThat(record.key()).isEqualTo(customer.id().toString()));
	}

	private String publicationStatus(UUID communicationId) {
		return this.jdbc.sql("SELECT status FROM event_publication WHERE event_type = ? AND serialized_event LIKE ?")
			.params(CommunicationAccepted.class.getName(), "%" + communicationId + "%")
			.query(String.class)
			.optional()
			.orElse("none");
	}

	private List<ConsumerRecord<String, String>> requested() {
		Map<String, Object> properties = KafkaTestUtils.consumerProps(this.broker, "outage-test", false);
		properties.put("auto.offset.reset", "earliest");
		properties.put("key.deserializer", org.apache.kafka.common.serialization.StringDeserializer.class);
		properties.put("value.deserializer", org.apache.kafka.common.serialization.StringDeserializer.class);
		try (Consumer<String, String> consumer = new DefaultKafkaConsumerFactory<String, String>(properties)
			.createConsumer()) {
			consumer.subscribe(Set.of("ccm.communications.requested"));
			List<ConsumerRecord<String, String>> records = new ArrayList<>();
			KafkaTestUtils.getRecords(consumer, Duration.ofSeconds(10)).forEach(records::add);
			return records;
		}
	}

	private static int closedPort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
