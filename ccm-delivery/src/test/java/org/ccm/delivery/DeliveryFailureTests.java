package org.ccm.delivery;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.ccm.core.Channel;
import org.ccm.core.ContactState;
import org.ccm.core.CustomerProfile;
import org.ccm.core.Purpose;
import org.ccm.delivery.testing.ScriptedSmtpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mail.javamail.JavaMailSenderImpl;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * Each class of provider answer, end to end: an SMTP server and the Twilio stand-in
 * answer as misbehaving providers do, and the delivery is retried, falls back and
 * suppresses the contact point, or is parked as a dead letter, as its class says.
 */
class DeliveryFailureTests extends DeliveryIntegrationTest {

	static final ScriptedSmtpServer smtp = new ScriptedSmtpServer();

	@Autowired
	JavaMailSenderImpl mailSender;

	@Autowired
	DeadLetters deadLetters;

	@Autowired
	JdbcClient jdbc;

	@AfterEach
	void providersAreBack() {
		this.mailSender.setPort(mail.getSmtp().getPort());
		smtp.refuseSender(null);
	}

	@AfterAll
	static void stop() {
		smtp.close();
	}

	@Test
	void anUnknownMailboxAtRcptIsTriedOnceSuppressedAndFallsBack() {
		this.mailSender.setPort(smtp.port());
		CustomerProfile customer = reachableEverywhere(unique("unknown"), List.of(Channel.EMAIL));
		String address = customer.email().value();
		smtp.refuse(address, ScriptedSmtpServer.Stage.RCPT_TO, "550 5.1.1 <" + address + ">: user unknown", 99);

		CommunicationView view = settledEverywhere(send(customer));
		DeliveryView email = first(view, Channel.EMAIL);
		assertThat(email.history()).extracting(StatusChange::status)
			.containsExactly(DeliveryStatus.QUEUED, DeliveryStatus.SENDING, DeliveryStatus.PERMANENT_FAILURE,
					DeliveryStatus.FELL_BACK);
		assertThat(email.history().get(2).reason()).contains("the mailbox does not exist").contains("5.1.1");
		assertThat(smtp.attempts(address)).isEqualTo(1);
		assertThat(on(view, Channel.SMS).status()).isEqualTo(DeliveryStatus.SENT);
		assertThat(this.customers.findById(customer.id()).orElseThrow().email().state())
			.isEqualTo(ContactState.BOUNCED);

		// the next invoice does not try the address again
		CommunicationView next = settledEverywhere(send(customer));
		assertThat(first(next, Channel.EMAIL).status()).isIn(DeliveryStatus.SUPPRESSED, DeliveryStatus.FELL_BACK);
		assertThat(first(next, Channel.EMAIL).failureReason()).contains("no reachable contact point");
		assertThat(on(next, Channel.SMS).status()).isEqualTo(DeliveryStatus.SENT);
		assertThat(smtp.attempts(address)).isEqualTo(1);
	}

	@Test
	void aRefusalAfterDataIsOneAttemptAndSuppressesTheAddress() {
		this.mailSender.setPort(smtp.port());
		CustomerProfile customer = reachableEverywhere(unique("after-data"), List.of(Channel.EMAIL));
		String address = customer.email().value();
		smtp.refuse(address, ScriptedSmtpServer.Stage.DATA, "550 Requested action not taken: mailbox unavailable", 99);

		CommunicationView view = settledEverywhere(send(customer));
		assertThat(first(view, Channel.EMAIL).history()).extracting(StatusChange::status)
			.containsExactly(DeliveryStatus.QUEUED, DeliveryStatus.SENDING, DeliveryStatus.PERMANENT_FAILURE,
					DeliveryStatus.FELL_BACK);
		assertThat(smtp.attempts(address)).isEqualTo(1);
		assertThat(smtp.acceptedFor(address)).isEmpty();
		assertThat(this.customers.findById(customer.id()).orElseThrow().email().state())
			.isEqualTo(ContactState.BOUNCED);
	}

	@Test
	void aTemporaryRefusalIsRetriedOnARetryTopicAndTheRetryIsVisible() {
		this.mailSender.setPort(smtp.port());
		CustomerProfile customer = reachableEverywhere(unique("busy"), List.of(Channel.EMAIL));
		String address = customer.email().value();
		smtp.refuse(address, ScriptedSmtpServer.Stage.RCPT_TO, "451 4.3.0 try again later", 1);

		CommunicationView view = settledEverywhere(send(customer));
		DeliveryView email = on(view, Channel.EMAIL);
		assertThat(email.status()).isEqualTo(DeliveryStatus.SENT);
		assertThat(email.history()).extracting(StatusChange::status)
			.containsExactly(DeliveryStatus.QUEUED, DeliveryStatus.SENDING, DeliveryStatus.TEMPORARY_FAILURE,
					DeliveryStatus.SENDING, DeliveryStatus.SENT);
		assertThat(email.history().get(2).reason()).contains("4.3.0").contains("attempt 1 of 3, next in 0.1s");
		// the planned retry is kept on the delivery; shown only while it waits for it
		Instant planned = this.jdbc.sql("SELECT next_attempt_at FROM delivery WHERE id = ?")
			.param(email.id())
			.query(Timestamp.class)
			.single()
			.toInstant();
		assertThat(planned).isCloseTo(email.history().get(2).at().plusMillis(100), within(50, ChronoUnit.MILLIS));
		assertThat(email.history().get(3).at()).isAfterOrEqualTo(planned.minusMillis(20));
		assertThat(email.nextAttemptAt()).isNull();
		assertThat(email.provider()).isEqualTo("smtp");
		assertThat(smtp.acceptedFor(address)).hasSize(1);
		assertThat(this.customers.findById(customer.id()).orElseThrow().email().state())
			.isNotEqualTo(ContactState.BOUNCED);
	}

	@Test
	void aRefusedSenderIsAPlatformFaultParkedAtOnceWithoutFallback() {
		this.mailSender.setPort(smtp.port());
		smtp.refuseSender("553 5.1.8 sender domain not allowed");
		CustomerProfile customer = reachableEverywhere(unique("sender"), List.of(Channel.EMAIL));

		CommunicationView view = settledEverywhere(send(customer));
		assertThat(view.deliveries()).singleElement().satisfies((email) -> {
			assertThat(email.channel()).isEqualTo(Channel.EMAIL);
			assertThat(email.history()).extracting(StatusChange::status)
				.containsExactly(DeliveryStatus.QUEUED, DeliveryStatus.SENDING, DeliveryStatus.TECHNICAL_FAILURE);
			assertThat(email.failureReason()).contains("refuses our sender");
		});
		awaitDeadLetterOf(view.deliveries().get(0).id());
		assertThat(this.customers.findById(customer.id()).orElseThrow().email().state())
			.isNotEqualTo(ContactState.BOUNCED);
	}

	@Test
	void anInvalidNumberIsSuppressedAndTheInvoiceFallsBackToEmail() {
		twilio.stubFor(post(urlPathMatching("/2010-04-01/Accounts/[^/]+/Messages.json"))
			.willReturn(twilioError(400, 21211, "The 'To' number +447911123456 is not a valid phone number.")));
		CustomerProfile customer = reachableEverywhere(unique("invalid"), List.of(Channel.SMS));

		CommunicationView view = settledEverywhere(send(customer));
		assertThat(first(view, Channel.SMS).history()).extracting(StatusChange::status)
			.containsExactly(DeliveryStatus.QUEUED, DeliveryStatus.SENDING, DeliveryStatus.PERMANENT_FAILURE,
					DeliveryStatus.FELL_BACK);
		assertThat(on(view, Channel.EMAIL).status()).isEqualTo(DeliveryStatus.SENT);
		twilio.verify(1, postRequestedFor(urlEqualTo(TWILIO_MESSAGES)));
		assertThat(this.customers.findById(customer.id()).orElseThrow().phone().state())
			.isEqualTo(ContactState.INVALID);
	}

	@Test
	void aRefusedTwilioAccountIsParkedWithoutBurningOtherChannels() {
		twilio.stubFor(post(urlPathMatching("/2010-04-01/Accounts/[^/]+/Messages.json"))
			.willReturn(twilioError(401, 20003, "Authenticate")));
		CustomerProfile customer = reachableEverywhere(unique("token"), List.of(Channel.SMS));

		CommunicationView view = settledEverywhere(send(customer));
		assertThat(view.deliveries()).singleElement().satisfies((sms) -> {
			assertThat(sms.status()).isEqualTo(DeliveryStatus.TECHNICAL_FAILURE);
			assertThat(sms.failureReason()).contains("Twilio refused our credentials");
		});
		awaitDeadLetterOf(view.deliveries().get(0).id());
		twilio.verify(1, postRequestedFor(urlEqualTo(TWILIO_MESSAGES)));
		assertThat(this.customers.findById(customer.id()).orElseThrow().phone().state())
			.isNotEqualTo(ContactState.INVALID);
	}

	@Test
	void aTwilioCallThatNeverAnswersTimesOutAndIsRetried() {
		twilio.resetAll();
		twilio.stubFor(post(urlPathMatching("/2010-04-01/Accounts/[^/]+/Messages.json")).inScenario("hanging")
			.whenScenarioStateIs(STARTED)
			.willReturn(aResponse().withStatus(201).withFixedDelay(6000))
			.willSetStateTo("back"));
		twilio.stubFor(post(urlPathMatching("/2010-04-01/Accounts/[^/]+/Messages.json")).inScenario("hanging")
			.whenScenarioStateIs("back")
			.willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json").withBody("""
					{"sid": "SM0123456789abcdef0123456789abcdef", "status": "queued", "account_sid": "%s"}
					""".formatted(ACCOUNT_SID))));
		CustomerProfile customer = reachableEverywhere(unique("hanging"), List.of(Channel.SMS));

		DeliveryView sms = on(settledEverywhere(send(customer)), Channel.SMS);
		assertThat(sms.history()).extracting(StatusChange::status)
			.containsExactly(DeliveryStatus.QUEUED, DeliveryStatus.SENDING, DeliveryStatus.TEMPORARY_FAILURE,
					DeliveryStatus.SENDING, DeliveryStatus.SENT);
		// the read timeout (2 s in these tests) ended the call, not the stand-in's 6 s
		Duration attempt = Duration.between(sms.history().get(1).at(), sms.history().get(2).at());
		assertThat(attempt).isLessThan(Duration.ofSeconds(5));
		assertThat(sms.provider()).isEqualTo("twilio");
	}

	private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder twilioError(int status, int code,
			String message) {
		return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody("""
				{"code": %d, "message": "%s", "more_info": "https://www.twilio.com/docs/errors/%d", "status": %d}
				""".formatted(code, message, code, status));
	}

	private UUID send(CustomerProfile customer) {
		return this.communications
			.accept(new SendRequest(customer.externalId(), "invoice", Purpose.TRANSACTIONAL,
					Map.of("invoiceNumber", "INV-" + UUID.randomUUID()), null), unique("key"), "client-a")
			.communicationId();
	}

	/** Settled, including the deliveries a fallback added. */
	private CommunicationView settledEverywhere(UUID id) {
		settled(id);
		return await().atMost(Duration.ofSeconds(60))
			.pollDelay(Duration.ofMillis(300))
			.until(() -> this.communications.find(id).orElseThrow(),
					(view) -> view.deliveries()
						.stream()
						.allMatch((delivery) -> delivery.status() != DeliveryStatus.QUEUED
								&& delivery.status() != DeliveryStatus.SENDING
								&& delivery.status() != DeliveryStatus.TEMPORARY_FAILURE
								&& delivery.status() != DeliveryStatus.PERMANENT_FAILURE));
	}

	private void awaitDeadLetterOf(UUID deliveryId) {
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.deadLetters.list(1000)
				.stream()
				.anyMatch((letter) -> deliveryId.equals(letter.deliveryId())));
	}

	private static DeliveryView first(CommunicationView view, Channel channel) {
		return view.deliveries()
			.stream()
			.filter((delivery) -> delivery.channel() == channel)
			.findFirst()
			.orElseThrow(() -> new AssertionError("no delivery on " + channel + " in " + view));
	}

}
