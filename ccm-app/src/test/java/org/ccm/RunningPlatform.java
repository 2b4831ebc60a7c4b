package org.ccm;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import org.ccm.core.testing.PostgresTestConfiguration;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

/**
 * The whole platform on real parts: PostgreSQL, Kafka, an SMTP server (GreenMail) and the
 * Twilio SDK against a local stand-in (WireMock). Test classes extending it share one
 * application context, so the servers live as long as the JVM.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@Import(PostgresTestConfiguration.class)
@EmbeddedKafka(partitions = 2)
abstract class RunningPlatform {

	static final String API_KEY = "ccm_journey_test_key_0123456789abcdef";

	static final String TWILIO_MESSAGES = "/2010-04-01/Accounts/[^/]+/Messages.json";

	static final String BOUNCE_WEBHOOK_SECRET = "journey-bounce-webhook-secret";

	static final GreenMail smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());

	static final WireMockServer twilio = new WireMockServer(WireMockConfiguration.options().dynamicPort());

	static final Path printDirectory = createTempDirectory();

	// the tracking links in emails need the server's address before it starts
	static final int serverPort = freePort();

	static {
		smtp.start();
		twilio.start();
	}

	@LocalServerPort
	int port;

	protected final JsonMapper json = JsonMapper.builder().build();

	RestClient http;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("server.port", () -> serverPort);
		registry.add("ccm.tracking.base-url", () -> "http://localhost:" + serverPort);
		registry.add("spring.kafka.bootstrap-servers", () -> System.getProperty("spring.embedded.kafka.brokers"));
		registry.add("spring.mail.host", () -> "127.0.0.1");
		registry.add("spring.mail.port", () -> smtp.getSmtp().getPort());
		// the documented environment variables, resolved like the real environment would
		// be
		registry.add("CCM_BOOTSTRAP_API_KEY", () -> API_KEY);
		registry.add("CCM_SMS_TWILIO_BASE_URL", twilio::baseUrl);
		registry.add("CCM_SMS_TWILIO_ACCOUNT_SID", () -> "AC11111111111111111111111111111111");
		registry.add("CCM_SMS_TWILIO_AUTH_TOKEN", () -> "journey-auth-token");
		registry.add("CCM_SMS_TWILIO_FROM", () -> "+15005550006");
		registry.add("ccm.delivery.print.batch-directory", printDirectory::toString);
		registry.add("ccm.tracking.signing-secret", () -> "journey-signing-secret-0123456789-abcdefghij");
		registry.add("ccm.tracking.bounces.webhook.secret", () -> BOUNCE_WEBHOOK_SECRET);
		// a revocation made on another instance shows here within two seconds
		registry.add("ccm.security.api-key-cache-ttl", () -> "2s");
		// client webhooks in tests are local http servers, and are sent without delay
		registry.add("ccm.tracking.webhooks.allow-plain-http", () -> "true");
		registry.add("ccm.tracking.webhooks.poll-interval", () -> "300ms");
		// the journeys click the moment a message arrives, as only a mail scanner would
		registry.add("ccm.tracking.machine.click-after-sending", () -> "0s");
	}

	@BeforeEach
	void setUp() {
		http = RestClient.builder()
			.baseUrl("http://localhost:" + port)
			.requestFactory(new JdkClientHttpRequestFactory(
					HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build()))
			.defaultStatusHandler((status) -> true, (request, response) -> {
			})
			.build();
		twilio.resetAll();
		twilio.stubFor(post(urlPathMatching(TWILIO_MESSAGES))
			.willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json").withBody("""
					{"sid": "SM0123456789abcdef0123456789abcdef", "status": "queued", "num_segments": "1"}
					""")));
	}

	protected ResponseEntity<String> putCustomer(String externalId, List<String> channels) {
		return http.put()
			.uri("/api/v1/customers/{id}", externalId)
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + API_KEY)
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("name", "Journey Customer", "locale", "en-GB", "timeZone", "UTC", "email",
					externalId.toLowerCase() + "@example.com", "phone", "+447911123456", "postalAddress",
					Map.of("lines", List.of("1 Test Street"), "postcode", "AB1 2CD", "city", "Testbury", "country",
							"GB"),
					"preferences", Map.of("TRANSACTIONAL", channels)))
			.retrieve()
			.toEntity(String.class);
	}

	protected JsonNode getJson(String path) {
		String body = http.get()
			.uri(path)
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + API_KEY)
			.retrieve()
			.body(String.class);
		return json.readTree(body == null ? "{}" : body);
	}

	/**
	 * Calls the API with the given key; any answer is returned, errors included.
	 */
	protected ResponseEntity<String> call(String method, String path, String key, @Nullable String body) {
		var request = http.method(org.springframework.http.HttpMethod.valueOf(method))
			.uri(path)
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + key);
		if (body != null) {
			request = request.contentType(MediaType.APPLICATION_JSON).body(body);
		}
		return request.retrieve().toEntity(String.class);
	}

	private static int freePort() {
		try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	private static Path createTempDirectory() {
		try {
			return Files.createTempDirectory("ccm-print");
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

}
