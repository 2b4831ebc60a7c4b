package org.ccm.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.ccm.core.Channel;
import org.ccm.core.CustomerProfile;
import org.ccm.core.Purpose;
import org.ccm.delivery.testing.ScriptedSmtpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The second SMTP relay, end to end: while the first relay turns connections away or
 * hangs, invoices go out through the second one, each once, and the delivery names the
 * relay that carried it; once the first relay works again, a trial message goes to it and
 * it takes over. The switches are published as meters.
 */
@Import(EmailFailoverTests.Meters.class)
class EmailFailoverTests extends DeliveryIntegrationTest {

	static final ScriptedSmtpServer first = new ScriptedSmtpServer();

	@DynamicPropertySource
	static void secondRelay(DynamicPropertyRegistry registry) {
		// the shared GreenMail server is the second relay here; the first is scripted
		registry.add("ccm.delivery.email.secondary-relay.host", () -> "127.0.0.1");
		registry.add("ccm.delivery.email.secondary-relay.port", () -> mail.getSmtp().getPort());
		registry.add("ccm.delivery.email.failover.minimum-calls", () -> "2");
		registry.add("ccm.delivery.email.failover.switch-back-after", () -> "2s");
		registry.add("ccm.delivery.email.failover.trial-calls", () -> "1");
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Meters {

		@Bean
		SimpleMeterRegistry meters() {
			return new SimpleMeterRegistry();
		}

	}

	@Autowired
	JavaMailSenderImpl mailSender;

	@Autowired
	MeterRegistry meters;

	@BeforeEach
	void firstRelay() {
		this.mailSender.setPort(first.port());
	}

	@AfterEach
	void relaysBehave() {
		first.reset();
		this.mailSender.setPort(mail.getSmtp().getPort());
	}

	@AfterAll
	static void stop() {
		first.close();
	}

	@Test
	void aFirstRelayThatRefusesConnectionsHandsOverToTheSecondAndTakesBack() {
		first.unavailable(true);
		double openedBefore = switches("open");

		List<CustomerProfile> customers = new ArrayList<>();
		List<UUID> sent = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			CustomerProfile customer = reachableEverywhere(unique("failover"), List.of(Channel.EMAIL));
			customers.add(customer);
			sent.add(send(customer));
		}
		for (UUID id : sent) {
			DeliveryView email = on(settled(id), Channel.EMAIL);
			assertThat(email.status()).isEqualTo(DeliveryStatus.SENT);
			assertThat(email.provider()).isEqualTo("smtp-secondary");
		}
		for (CustomerProfile customer : customers) {
			assertThat(ChannelDeliveryTests.receivedBy(customer.email().value())).hasSize(1);
			assertThat(first.received(customer.email().value())).isZero();
		}
		assertThat(switches("open")).isGreaterThan(openedBefore);
		assertThat(state()).as("the first relay counts as failing").isEqualTo(2);

		first.unavailable(false);
		takenBackByTheFirstRelay();
	}

	@Test
	void aFirstRelayThatHangsHandsOverToTheSecond() {
		// every message's data is left unanswered: each attempt costs one read timeout
		first.hangAddressesContaining("@");
		List<UUID> sent = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			sent.add(send(reachableEverywhere(unique("hung-relay"), List.of(Channel.EMAIL))));
		}
		for (UUID id : sent) {
			DeliveryView email = on(settled(id), Channel.EMAIL);
			assertThat(email.status()).isEqualTo(DeliveryStatus.SENT);
			assertThat(email.provider()).isEqualTo("smtp-secondary");
			assertThat(email.history()).filteredOn((change) -> change.status() == DeliveryStatus.TEMPORARY_FAILURE)
				.allSatisfy((change) -> assertThat(change.reason()).contains("did not answer in time"));
		}

		first.reset();
		takenBackByTheFirstRelay();
	}

	private void takenBackByTheFirstRelay() {
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
			CustomerProfile customer = reachableEverywhere(unique("back"), List.of(Channel.EMAIL));
			DeliveryView email = on(settled(send(customer)), Channel.EMAIL);
			return "smtp".equals(email.provider()) && first.received(customer.email().value()) == 1;
		});
		assertThat(state()).as("the first relay is in use again").isZero();
		assertThat(switches("closed")).isPositive();
	}

	private double switches(String state) {
		var counter = this.meters.find("ccm.delivery.provider.switches")
			.tags("channel", "email", "provider", "smtp", "state", state)
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

	private double state() {
		return this.meters.get("ccm.delivery.provider.state")
			.tags("channel", "email", "provider", "smtp")
			.gauge()
			.value();
	}

	private UUID send(CustomerProfile customer) {
		return this.communications
			.accept(new SendRequest(customer.externalId(), "invoice", Purpose.TRANSACTIONAL,
					Map.of("invoiceNumber", "INV-" + UUID.randomUUID()), null), unique("key"), "client-a")
			.communicationId();
	}

}
