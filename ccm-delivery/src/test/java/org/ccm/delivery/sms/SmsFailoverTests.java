package org.ccm.delivery.sms;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.ccm.core.Channel;
import org.ccm.core.ContactPoint;
import org.ccm.core.ContactState;
import org.ccm.core.CustomerProfile;
import org.ccm.core.CustomerStatus;
import org.ccm.delivery.DeliveryProperties;
import org.ccm.delivery.spi.DeliveryFailure;
import org.ccm.delivery.spi.FailureClass;
import org.ccm.delivery.spi.MessageTracking;
import org.ccm.delivery.spi.OutgoingMessage;
import org.ccm.delivery.spi.SentDocument;
import org.ccm.delivery.spi.TrackedMessage;
import org.ccm.templates.ComposedDocument;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * A first Twilio account that fails hands its messages to the second route, and gets them
 * back once it works again; the sent document names the route that carried it.
 */
class SmsFailoverTests {

	static final String FIRST = "AC11111111111111111111111111111111";

	static final String SECOND = "AC22222222222222222222222222222222";

	final WireMockServer twilio = new WireMockServer(
			WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));

	final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	SmsSender sender;

	@BeforeEach
	void start() {
		this.twilio.start();
		Map<String, String> settings = Map.ofEntries(Map.entry("ccm.delivery.sms.twilio.account-sid", FIRST),
				Map.entry("ccm.delivery.sms.twilio.auth-token", "first-token"),
				Map.entry("ccm.delivery.sms.twilio.from", "+15005550006"),
				Map.entry("ccm.delivery.sms.twilio.base-url", this.twilio.baseUrl()),
				Map.entry("ccm.delivery.sms.secondary.account-sid", SECOND),
				Map.entry("ccm.delivery.sms.secondary.auth-token", "second-token"),
				Map.entry("ccm.delivery.sms.secondary.messaging-service-sid", "MG0123456789abcdef0123456789abcdef"),
				Map.entry("ccm.delivery.sms.secondary.base-url", this.twilio.baseUrl()),
				Map.entry("ccm.delivery.sms.failover.minimum-calls", "3"),
				Map.entry("ccm.delivery.sms.failover.switch-back-after", "500ms"),
				Map.entry("ccm.delivery.sms.failover.trial-calls", "1"));
		DeliveryProperties properties = new Binder(new MapConfigurationPropertySource(settings))
			.bindOrCreate("ccm.delivery", DeliveryProperties.class);
		StaticListableBeanFactory beans = new StaticListableBeanFactory();
		beans.addBean("meters", this.meters);
		this.sender = new SmsSender(properties, beans.getBeanProvider(MessageTracking.class),
				beans.getBeanProvider(MeterRegistry.class));
		answer(FIRST, 201);
		answer(SECOND, 201);
	}

	@AfterEach
	void stop() {
		this.twilio.stop();
	}

	@Test
	void aFailingAccountHandsOverToTheSecondRouteAndTakesBackWhenItWorks() {
		assertThat(send().provider()).isEqualTo(SmsSender.PRIMARY);

		answer(FIRST, 500);
		for (int i = 0; i < 2; i++) {
			assertThatExceptionOfType(DeliveryFailure.class).isThrownBy(this::send)
				.satisfies((failure) -> assertThat(failure.failureClass()).isEqualTo(FailureClass.TEMPORARY));
		}
		// two failures out of three calls: the first account is left alone for a while
		SentDocument second = send();
		assertThat(second.provider()).isEqualTo(SmsSender.SECONDARY);
		assertThat(state(SmsSender.PRIMARY)).as("failing").isEqualTo(2);
		assertThat(switches(SmsSender.PRIMARY, "open")).isEqualTo(1);
		assertThat(send().provider()).isEqualTo(SmsSender.SECONDARY);
		this.twilio.verify(postRequestedFor(urlEqualTo("/2010-04-01/Accounts/" + SECOND + "/Messages.json"))
			.withRequestBody(com.github.tomakehurst.wiremock.client.WireMock
				.containing("MessagingServiceSid=MG0123456789abcdef0123456789abcdef")));

		answer(FIRST, 201);
		await().atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> send().provider().equals(SmsSender.PRIMARY));
		assertThat(send().provider()).isEqualTo(SmsSender.PRIMARY);
		assertThat(state(SmsSender.PRIMARY)).as("in use").isZero();
		assertThat(switches(SmsSender.PRIMARY, "half_open")).isEqualTo(1);
		assertThat(switches(SmsSender.PRIMARY, "closed")).isEqualTo(1);
		assertThat(state(SmsSender.SECONDARY)).isZero();
	}

	private double state(String provider) {
		return this.meters.get("ccm.delivery.provider.state")
			.tags("channel", "sms", "provider", provider)
			.gauge()
			.value();
	}

	private double switches(String provider, String state) {
		return this.meters.get("ccm.delivery.provider.switches")
			.tags("channel", "sms", "provider", provider, "state", state)
			.counter()
			.count();
	}

	@Test
	void anInvalidNumberDoesNotCountAgainstTheAccount() {
		this.twilio.stubFor(post(urlEqualTo("/2010-04-01/Accounts/" + FIRST + "/Messages.json"))
			.willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json").withBody("""
					{"code": 21211, "message": "not a valid phone number", "status": 400}
					""")));
		for (int i = 0; i < 5; i++) {
			assertThatExceptionOfType(DeliveryFailure.class).isThrownBy(this::send)
				.satisfies(
						(failure) -> assertThat(failure.failureClass()).isEqualTo(FailureClass.PERMANENT_FOR_CUSTOMER));
		}
		answer(FIRST, 201);
		assertThat(send().provider()).isEqualTo(SmsSender.PRIMARY);
	}

	private SentDocument send() {
		Instant now = Instant.now();
		CustomerProfile customer = new CustomerProfile(UUID.randomUUID(), "C-FAILOVER", "Ada Lovelace", Locale.UK,
				ZoneId.of("Europe/London"), CustomerStatus.ACTIVE, null,
				new ContactPoint("+447911123456", ContactState.VERIFIED), null, Map.of(), Map.of(), null, List.of(),
				now, now);
		ComposedDocument document = new ComposedDocument("invoice", 1, Channel.SMS, Locale.ENGLISH, null, null,
				"Invoice INV-1 is ready", null, List.of());
		return this.sender.send(new OutgoingMessage(
				new TrackedMessage(UUID.randomUUID(), UUID.randomUUID(), customer.id()), customer, document));
	}

	private void answer(String account, int status) {
		String body = (status == 201) ? """
				{"sid": "SM0123456789abcdef0123456789abcdef", "status": "queued", "account_sid": "%s"}
				""".formatted(account) : """
				{"code": 20500, "message": "Internal Server Error", "status": %d}
				""".formatted(status);
		this.twilio.stubFor(post(urlEqualTo("/2010-04-01/Accounts/" + account + "/Messages.json"))
			.willReturn(aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body)));
	}

}
