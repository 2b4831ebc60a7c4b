package org.ccm.delivery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import org.ccm.core.Channel;
import org.ccm.core.ConsentChange;
import org.ccm.core.ContactState;
import org.ccm.core.CustomerDetails;
import org.ccm.core.CustomerProfile;
import org.ccm.core.Customers;
import org.ccm.core.PostalAddress;
import org.ccm.core.Purpose;
import org.ccm.core.QuietHours;
import org.ccm.core.testing.PostgresTestConfiguration;
import org.ccm.delivery.testing.DatabaseOutage;
import org.ccm.templates.Compositions;
import org.ccm.templates.Templates;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.mockito.MockReset;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyMap;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.BDDMockito.willAnswer;

/**
 * The delivery module on real parts: PostgreSQL, a Kafka broker, an SMTP server and a
 * Twilio stand-in speaking Twilio's REST API. Every test class extending this one shares
 * one application context, so the servers start once.
 */
@SpringBootTest(classes = DeliveryTestApplication.class,
		properties = { "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
				"spring.kafka.consumer.auto-offset-reset=earliest", "ccm.delivery.kafka.partitions=1",
				"ccm.delivery.retries.attempts=3", "ccm.delivery.retries.initial-interval=100ms",
				"ccm.delivery.retries.max-interval=300ms", "ccm.delivery.retries.schedule=100ms,200ms",
				"ccm.delivery.retries.max-age=300ms", "ccm.delivery.sms.twilio.read-timeout=2s",
				"ccm.delivery.email.from=Billing <billing@example.com>",
				"ccm.delivery.email.return-path=bounces@ccm.example", "ccm.delivery.email.read-timeout=2s",
				"ccm.delivery.email.unsubscribe-mailto=unsubscribe@example.com",
				"ccm.delivery.sms.twilio.account-sid=" + DeliveryIntegrationTest.ACCOUNT_SID,
				"ccm.delivery.sms.twilio.auth-token=" + DeliveryIntegrationTest.AUTH_TOKEN,
				"ccm.delivery.sms.twilio.from=+15005550006",
				"ccm.delivery.sms.twilio.status-callback=https://track.example.com/t/sms/status" })
@AutoConfigureMockMvc
@EmbeddedKafka(partitions = 1)
@Import({ PostgresTestConfiguration.class, TrackingStandIn.class, DatabaseOutage.class })
abstract class DeliveryIntegrationTest {

	static final String ACCOUNT_SID = "AC0123456789abcdef0123456789abcdef";

	static final String AUTH_TOKEN = "twilio-test-token";

	static final String TWILIO_MESSAGES = "/2010-04-01/Accounts/" + ACCOUNT_SID + "/Messages.json";

	static final GreenMail mail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));

	static final WireMockServer twilio = new WireMockServer(
			WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));

	static final Path printDirectory;

	static {
		mail.start();
		twilio.start();
		try {
			printDirectory = Files.createTempDirectory("ccm-print");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			mail.stop();
			twilio.stop();
		}));
	}

	@DynamicPropertySource
	static void servers(DynamicPropertyRegistry registry) {
		registry.add("spring.mail.host", () -> "127.0.0.1");
		registry.add("spring.mail.port", () -> mail.getSmtp().getPort());
		registry.add("ccm.delivery.sms.twilio.base-url", twilio::baseUrl);
		registry.add("ccm.delivery.print.batch-directory", printDirectory::toString);
	}

	// stubbed once per application context, never reset: stubbing a spy again before each
	// test raced the consumer threads still composing the previous test's messages
	@MockitoSpyBean(reset = MockReset.NONE)
	Templates templates;

	@MockitoSpyBean(reset = MockReset.NONE)
	Compositions compositions;

	/** Whether the current test wants the stand-in documents; read by the stubs. */
	static volatile boolean standIn;

	private static final Set<Object> stubbed = Collections
		.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

	@Autowired
	MockMvc mvc;

	@Autowired
	Customers customers;

	@Autowired
	Communications communications;

	@BeforeEach
	void standIns() {
		standIn = standInTemplates();
		if (stubbed.add(this.compositions)) {
			willAnswer((call) -> standIn ? TestDocuments.validate(call.getArgument(0), call.getArgument(1))
					: call.callRealMethod())
				.given(this.templates)
				.validate(anyString(), anyMap());
			composeAsUsual();
		}
		twilio.resetAll();
		twilio.stubFor(post(urlPathMatching("/2010-04-01/Accounts/[^/]+/Messages.json"))
			.willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json").withBody("""
					{"sid": "SM0123456789abcdef0123456789abcdef", "status": "queued",
					 "account_sid": "%s", "num_segments": "1", "direction": "outbound-api"}
					""".formatted(ACCOUNT_SID))));
	}

	/**
	 * Composes with {@link TestDocuments} or the templates module, as
	 * {@link #standInTemplates()} says: for a test that changed how composing behaves.
	 */
	void composeAsUsual() {
		willAnswer((call) -> standIn ? TestDocuments.compose(call.getArgument(0)) : call.callRealMethod())
			.given(this.compositions)
			.compose(any());
	}

	/**
	 * Whether sends are composed by {@link TestDocuments} (small documents the tests can
	 * compare byte for byte) rather than by the templates module.
	 */
	boolean standInTemplates() {
		return true;
	}

	static String unique(String prefix) {
		return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
	}

	CustomerProfile customer(String externalId, Map<Purpose, List<Channel>> preferences, @Nullable String email,
			@Nullable String phone, @Nullable QuietHours quietHours, List<ConsentChange> consents) {
		return this.customers.upsert(externalId, new CustomerDetails("Ada Lovelace", Locale.ENGLISH,
				ZoneId.of("Europe/London"), email, phone, new PostalAddress(List.of("12 St James's Square", "Flat 2"),
						"SW1Y 4JH", "London", "GB", ContactState.VERIFIED),
				Map.of(), preferences, quietHours, consents));
	}

	CustomerProfile reachableEverywhere(String externalId, List<Channel> transactional) {
		return customer(externalId, Map.of(Purpose.TRANSACTIONAL, transactional),
				externalId.toLowerCase(Locale.ROOT) + "@example.com", "+447911123456", null, List.of());
	}

	ResultActions send(String idempotencyKey, String body) throws Exception {
		return this.mvc.perform(MockMvcRequestBuilders.post("/api/v1/communications")
			.header("Idempotency-Key", idempotencyKey)
			.contentType(MediaType.APPLICATION_JSON)
			.content(body));
	}

	static String invoice(String customer, String invoiceNumber, @Nullable String channels) {
		return """
				{"customer": "%s", "template": "invoice", "purpose": "TRANSACTIONAL",
				 "data": {"invoiceNumber": "%s", "issueDate": "2026-11-01", "dueDate": "2026-11-30",
				          "currency": "EUR", "lines": [{"description": "Electricity", "quantity": 1, "unitPrice": 42.5}],
				          "total": 42.5}%s}
				"""
			.formatted(customer, invoiceNumber, (channels != null) ? ", \"channels\": " + channels : "");
	}

	CommunicationView settled(UUID id) {
		return await().atMost(Duration.ofSeconds(60))
			.until(() -> this.communications.find(id).orElseThrow(),
					(view) -> !view.deliveries().isEmpty() && view.deliveries()
						.stream()
						.allMatch((delivery) -> delivery.status() != DeliveryStatus.QUEUED
								&& delivery.status() != DeliveryStatus.SENDING
								&& delivery.status() != DeliveryStatus.TEMPORARY_FAILURE));
	}

	static DeliveryView on(CommunicationView view, Channel channel) {
		return view.deliveries()
			.stream()
			.filter((delivery) -> delivery.channel() == channel)
			.reduce((first, second) -> second)
			.orElseThrow(() -> new AssertionError("no delivery on " + channel + " in " + view));
	}

}
