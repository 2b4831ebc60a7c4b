package org.ccm.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.ccm.core.Channel;
import org.ccm.core.CustomerProfile;
import org.ccm.core.Purpose;
import org.ccm.delivery.testing.ScriptedSmtpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.utils.KafkaTestUtils;
import org.springframework.mail.javamail.JavaMailSenderImpl;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Small versions of the fault suite: servers that misbehave on purpose, and what each
 * customer received counted at the server.
 */
class FaultTests extends DeliveryIntegrationTest {

	static final ScriptedSmtpServer smtp = new ScriptedSmtpServer();

	@Autowired
	JavaMailSenderImpl mailSender;

	@Autowired
	EmbeddedKafkaBroker broker;

	@Autowired
	KafkaTemplate<String, String> kafka;

	@Autowired
	JdbcClient jdbc;

	@AfterEach
	void serversBehave() {
		this.mailSender.setPort(mail.getSmtp().getPort());
		smtp.refuseShare(0);
	}

	@AfterAll
	static void stop() {
		smtp.close();
	}

	@Test
	void temporaryRefusalsOfOneAttemptInFiveStillDeliverEveryMessageOnce() {
		this.mailSender.setPort(smtp.port());
		smtp.refuseShare(0.2);
		List<CustomerProfile> customers = new ArrayList<>();
		List<UUID> sent = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			CustomerProfile customer = reachableEverywhere(unique("busy"), List.of(Channel.EMAIL));
			customers.add(customer);
			sent.add(send(customer));
		}
		int retried = 0;
		for (UUID id : sent) {
			DeliveryView email = on(settled(id), Channel.EMAIL);
			assertThat(email.status()).isEqualTo(DeliveryStatus.SENT);
			retried += (int) email.history()
				.stream()
				.filter((change) -> change.status() == DeliveryStatus.TEMPORARY_FAILURE)
				.count();
		}
		assertThat(retried).as("attempts refused on the way").isPositive();
		for (CustomerProfile customer : customers) {
			assertThat(smtp.acceptedFor(customer.email().value())).hasSize(1);
		}
	}

	@Test
	void aServerThatHangsOnOneMessageDoesNotHoldUpTheOthers() {
		this.mailSender.setPort(smtp.port());
		CustomerProfile stuck = reachableEverywhere(unique("hangs"), List.of(Channel.EMAIL));
		smtp.hang(stuck.email().value());
		UUID hanging = send(stuck);
		List<UUID> others = new ArrayList<>();
		List<CustomerProfile> flowing = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			CustomerProfile customer = reachableEverywhere(unique("flows"), List.of(Channel.EMAIL));
			flowing.add(customer);
			others.add(send(customer));
		}
		for (UUID id : others) {
			DeliveryView email = on(settled(id), Channel.EMAIL);
			assertThat(email.status()).isEqualTo(DeliveryStatus.SENT);
			// queued to sent: one read timeout (2 s here) at most, not the hang
			assertThat(
					Duration.between(email.history().get(0).at(), email.history().get(email.history().size() - 1).at()))
				.isLessThan(Duration.ofSeconds(15));
		}
		for (CustomerProfile customer : flowing) {
			assertThat(smtp.acceptedFor(customer.email().value())).hasSize(1);
		}
		DeliveryView parked = on(settled(hanging), Channel.EMAIL);
		assertThat(parked.status()).isEqualTo(DeliveryStatus.TECHNICAL_FAILURE);
		assertThat(parked.history()).filteredOn((change) -> change.status() == DeliveryStatus.TEMPORARY_FAILURE)
			.hasSize(3)
			.allSatisfy((change) -> assertThat(change.reason()).contains("did not answer in time"));
	}

	@Test
	void theEmailTopicReadAgainFromTheStartSendsNothingTwice() throws Exception {
		List<CustomerProfile> customers = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			CustomerProfile customer = reachableEverywhere(unique("replayed"), List.of(Channel.EMAIL));
			customers.add(customer);
			settled(send(customer));
		}
		int before = mail.getReceivedMessages().length;

		// every record the topic ever had, published again
		Map<String, Object> props = KafkaTestUtils.consumerProps(this.broker, "replay-" + UUID.randomUUID(), false);
		props.put("auto.offset.reset", "earliest");
		try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
				new StringDeserializer())) {
			TopicPartition partition = new TopicPartition("ccm.delivery.email", 0);
			consumer.assign(List.of(partition));
			consumer.seekToBeginning(List.of(partition));
			long end = consumer.endOffsets(List.of(partition)).get(partition);
			int replayed = 0;
			while (consumer.position(partition) < end) {
				for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofSeconds(1))) {
					this.kafka.send("ccm.delivery.email", record.key(), record.value()).get();
					replayed++;
				}
			}
			assertThat(replayed).isGreaterThanOrEqualTo(3);
		}
		// a later message on the same partition goes out after every replayed record
		CustomerProfile marker = reachableEverywhere(unique("after-replay"), List.of(Channel.EMAIL));
		settled(send(marker));

		assertThat(mail.getReceivedMessages().length - before).as("messages sent since the replay").isEqualTo(1);
		for (CustomerProfile customer : customers) {
			assertThat(ChannelDeliveryTests.receivedBy(customer.email().value())).hasSize(1);
		}
	}

	@Test
	void aTwilioCallThatHangsTimesOutIsRetriedAndHoldsUpNoOtherMessage() {
		CustomerProfile stuck = smsCustomer("sms-hangs", "+447911000777");
		twilio.stubFor(post(urlPathMatching("/2010-04-01/Accounts/[^/]+/Messages.json")).atPriority(1)
			.withRequestBody(containing("To=%2B447911000777"))
			.willReturn(aResponse().withStatus(201).withFixedDelay(10_000)));
		UUID hanging = send(stuck);
		List<CustomerProfile> texted = new ArrayList<>();
		List<UUID> others = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			CustomerProfile customer = smsCustomer("sms-flows", "+44791100080" + i);
			texted.add(customer);
			others.add(send(customer));
		}
		CustomerProfile emailed = reachableEverywhere(unique("mail-flows"), List.of(Channel.EMAIL));
		UUID email = send(emailed);

		for (int i = 0; i < others.size(); i++) {
			DeliveryView sms = on(settled(others.get(i)), Channel.SMS);
			assertThat(sms.status()).isEqualTo(DeliveryStatus.SENT);
			// queued to sent: one read timeout (2 s here) at most, not the hang
			assertThat(Duration.between(sms.history().get(0).at(), sms.history().get(sms.history().size() - 1).at()))
				.isLessThan(Duration.ofSeconds(15));
			// once, unless a call of its own timed out first (on a loaded machine): the
			// ambiguous case, retried
			int timedOut = (int) sms.history()
				.stream()
				.filter((change) -> change.status() == DeliveryStatus.TEMPORARY_FAILURE)
				.count();
			twilio.verify(1 + timedOut, postRequestedFor(urlPathMatching("/2010-04-01/Accounts/[^/]+/Messages.json"))
				.withRequestBody(containing("To=" + texted.get(i).phone().value().replace("+", "%2B"))));
		}
		assertThat(on(settled(email), Channel.EMAIL).status()).isEqualTo(DeliveryStatus.SENT);
		assertThat(ChannelDeliveryTests.receivedBy(emailed.email().value())).hasSize(1);

		DeliveryView parked = on(settled(hanging), Channel.SMS);
		assertThat(parked.status()).isEqualTo(DeliveryStatus.TECHNICAL_FAILURE);
		assertThat(parked.history()).filteredOn((change) -> change.status() == DeliveryStatus.TEMPORARY_FAILURE)
			.hasSize(3)
			.allSatisfy((change) -> assertThat(change.reason()).contains("Twilio").contains("did not answer in time"));
		twilio.verify(3, postRequestedFor(urlPathMatching("/2010-04-01/Accounts/[^/]+/Messages.json"))
			.withRequestBody(containing("To=%2B447911000777")));
	}

	@Test
	void theSameKeySentAgainByClientsAtOnceAndLaterGivesOneCommunicationEach() throws Exception {
		List<CustomerProfile> customers = new ArrayList<>();
		List<Callable<UUID>> calls = new ArrayList<>();
		Map<String, String> keys = new LinkedHashMap<>();
		for (int i = 0; i < 20; i++) {
			CustomerProfile customer = reachableEverywhere(unique("keyed"), List.of(Channel.EMAIL));
			customers.add(customer);
			String key = unique("same-key");
			keys.put(key, customer.externalId());
			int copies = (i % 10 < 3) ? 3 : 1;
			for (int copy = 0; copy < copies; copy++) {
				int later = copy * 150;
				calls.add(() -> {
					Thread.sleep(later);
					return this.communications
						.accept(new SendRequest(keys.get(key), "invoice", Purpose.TRANSACTIONAL,
								Map.of("invoiceNumber", "INV-" + key), null), key, "client-a")
						.communicationId();
				});
			}
		}
		ExecutorService clients = Executors.newFixedThreadPool(8);
		List<UUID> answered = new ArrayList<>();
		try {
			for (Future<UUID> answer : clients.invokeAll(calls)) {
				answered.add(answer.get());
			}
		}
		finally {
			clients.shutdownNow();
		}

		assertThat(answered).hasSize(32).doesNotContainNull();
		assertThat(answered.stream().distinct()).hasSize(20);
		assertThat(this.jdbc.sql("SELECT count(*) FROM communication WHERE customer_external_id IN (:customers)")
			.param("customers", keys.values())
			.query(Long.class)
			.single()).isEqualTo(20);
		for (UUID id : answered.stream().distinct().toList()) {
			assertThat(on(settled(id), Channel.EMAIL).status()).isEqualTo(DeliveryStatus.SENT);
		}
		for (CustomerProfile customer : customers) {
			assertThat(ChannelDeliveryTests.receivedBy(customer.email().value())).hasSize(1);
		}
	}

	private CustomerProfile smsCustomer(String prefix, String phone) {
		return customer(unique(prefix), Map.of(Purpose.TRANSACTIONAL, List.of(Channel.SMS)), null, phone, null,
				List.of());
	}

	private UUID send(CustomerProfile customer) {
		return this.communications
			.accept(new SendRequest(customer.externalId(), "invoice", Purpose.TRANSACTIONAL,
					Map.of("invoiceNumber", "INV-" + UUID.randomUUID()), null), unique("key"), "client-a")
			.communicationId();
	}

}
