package org.ccm.tracking;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.ccm.core.Channel;
import org.ccm.core.CustomerDetails;
import org.ccm.core.Customers;
import org.ccm.core.Purpose;
import org.ccm.core.problems.ProblemException;
import org.ccm.delivery.Communications;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import tools.jackson.databind.json.JsonMapper;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Status changes POSTed to a client's webhook, received by a local HTTP server.
 */
@TrackingIntegrationTest
class StatusWebhooksTests {

	static final WireMockServer receiver = new WireMockServer(WireMockConfiguration.options().dynamicPort());

	static final JsonMapper JSON = JsonMapper.builder().build();

	@Autowired
	StatusWebhooks webhooks;

	@Autowired
	Communications communications;

	@Autowired
	Customers customers;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	SentDeliveries sent;

	UUID apiKeyId;

	String path;

	@BeforeAll
	static void start() {
		receiver.start();
	}

	@AfterAll
	static void stop() {
		receiver.stop();
	}

	@BeforeEach
	void key() {
		apiKeyId = UUID.randomUUID();
		path = "/hooks/" + apiKeyId;
	}

	@Test
	void everyStatusChangeOfTheKeysCommunicationsArrivesSignedAndInOrder() throws Exception {
		receiver.stubFor(post(urlEqualTo(path)).willReturn(aResponse().withStatus(204)));
		StatusWebhook webhook = webhooks.register(apiKeyId, receiver.baseUrl() + path);
		assertThat(webhook.secret()).startsWith("whsec_");
		UUID communicationId = accept(apiKeyId);
		accept(null);
		List<StatusWebhookMessage> queued = await().atMost(Duration.ofSeconds(60))
			.until(() -> webhooks.messages(apiKeyId, 50),
					(messages) -> messages.stream().anyMatch((message) -> message.status().equals("SENT")));
		StatusWebhookSender sender = sender(Duration.ofSeconds(30), Duration.ofHours(24));

		// one change of a communication per round: the next waits for the one before
		for (int round = 0; round < queued.size(); round++) {
			assertThat(sender.send()).as("round %d of %s", round, webhooks.messages(apiKeyId, 50)).isEqualTo(1);
		}

		List<LoggedRequest> requests = receiver.findAll(postRequestedFor(urlEqualTo(path)));
		assertThat(requests).hasSize(queued.size());
		List<String> statuses = requests.stream().map((request) -> field(request, "status")).toList();
		assertThat(statuses).containsSubsequence("QUEUED", "SENT").endsWith("SENT");
		assertThat(statuses).isEqualTo(oldestFirst(queued).stream().map(StatusWebhookMessage::status).toList());
		for (LoggedRequest request : requests) {
			long timestamp = Long.parseLong(request.getHeader("X-CCM-Timestamp"));
			assertThat(WebhookSignature.verify(webhook.secret(), timestamp, request.getBody(),
					request.getHeader("X-CCM-Signature")))
				.isTrue();
			assertThat(field(request, "communicationId")).isEqualTo(communicationId.toString());
			assertThat(field(request, "channel")).isEqualTo("PORTAL");
			assertThat(request.getHeader("X-CCM-Webhook-Id")).isNotBlank();
		}
		assertThat(webhooks.messages(apiKeyId, 50)).extracting(StatusWebhookMessage::state).containsOnly("DELIVERED");
		assertThat(sender.send()).isZero();
	}

	@Test
	void aFailedAttemptIsRetriedAndHoldsBackTheLaterChangesOfItsCommunication() throws Exception {
		receiver.stubFor(post(urlEqualTo(path)).inScenario(path)
			.whenScenarioStateIs(Scenario.STARTED)
			.willReturn(aResponse().withStatus(503))
			.willSetStateTo("up"));
		receiver.stubFor(post(urlEqualTo(path)).inScenario(path)
			.whenScenarioStateIs("up")
			.willReturn(aResponse().withStatus(200)));
		webhooks.register(apiKeyId, receiver.baseUrl() + path);
		accept(apiKeyId);
		int queued = await().atMost(Duration.ofSeconds(60))
			.until(() -> webhooks.messages(apiKeyId, 50), (messages) -> messages.size() >= 2)
			.size();
		StatusWebhookSender sender = sender(Duration.ofMillis(1), Duration.ofHours(24));

		assertThat(sender.send()).isZero();
		assertThat(receiver.findAll(postRequestedFor(urlEqualTo(path)))).hasSize(1);
		StatusWebhookMessage first = oldestFirst(webhooks.messages(apiKeyId, 50)).get(0);
		assertThat(first.state()).isEqualTo("PENDING");
		assertThat(first.attempts()).isEqualTo(1);
		assertThat(first.lastResult()).isEqualTo("HTTP 503");
		assertThat(first.nextAttemptAt()).isNotNull();

		Thread.sleep(5);
		assertThat(sender.send()).isEqualTo(1);

		StatusWebhookMessage retried = oldestFirst(webhooks.messages(apiKeyId, 50)).get(0);
		assertThat(retried.state()).isEqualTo("DELIVERED");
		assertThat(retried.attempts()).isEqualTo(2);
		List<LoggedRequest> requests = receiver.findAll(postRequestedFor(urlEqualTo(path)));
		assertThat(field(requests.get(0), "status")).isEqualTo(field(requests.get(1), "status"));
		assertThat(queued).isGreaterThan(1);
	}

	@Test
	void aMessageNotDeliveredWithinTheRetryPeriodIsMarkedFailedAndTheNextOneGoesOut() throws Exception {
		webhooks.register(apiKeyId, "http://127.0.0.1:1/unreachable");
		accept(apiKeyId);
		await().atMost(Duration.ofSeconds(60))
			.until(() -> webhooks.messages(apiKeyId, 50), (messages) -> messages.size() >= 2);
		StatusWebhookSender sender = sender(Duration.ofSeconds(30), Duration.ofMillis(1));

		sender.send();
		sender.send();

		List<StatusWebhookMessage> messages = oldestFirst(webhooks.messages(apiKeyId, 50));
		assertThat(messages.get(0).state()).isEqualTo("FAILED");
		assertThat(messages.get(0).lastResult()).contains("Connect");
		assertThat(messages.get(0).nextAttemptAt()).isNull();
		assertThat(messages.get(1).state()).as("the next change went out after the failed one").isEqualTo("FAILED");
	}

	@Test
	void aReceiverThatFailsIsNotCalledAgainInTheSameRound() throws Exception {
		receiver.stubFor(post(urlEqualTo(path)).willReturn(aResponse().withStatus(500)));
		webhooks.register(apiKeyId, receiver.baseUrl() + path);
		accept(apiKeyId);
		accept(apiKeyId);
		await().atMost(Duration.ofSeconds(60))
			.until(() -> webhooks.messages(apiKeyId, 50)
				.stream()
				.map(StatusWebhookMessage::communicationId)
				.distinct()
				.count() == 2);

		sender(Duration.ofSeconds(30), Duration.ofHours(24)).send();

		assertThat(receiver.findAll(postRequestedFor(urlEqualTo(path)))).as("two communications due, one call")
			.hasSize(1);
	}

	@Test
	void whileNoKeyHasAWebhookStatusChangesAreNotQueuedForIt() {
		jdbc.sql("DELETE FROM status_webhook_message").update();
		jdbc.sql("DELETE FROM status_webhook").update();
		webhooks.forgetRegistrations();
		UUID unwatched = accept(apiKeyId);
		await().atMost(Duration.ofSeconds(60)).until(() -> sentCount(unwatched) == 1);
		assertThat(publicationsForWebhooks(unwatched)).as("no publication stored for the webhook listener").isZero();

		webhooks.register(apiKeyId, "https://client.example.com/hooks");
		UUID watched = accept(apiKeyId);
		await().atMost(Duration.ofSeconds(60))
			.until(() -> webhooks.messages(apiKeyId, 50)
				.stream()
				.anyMatch((message) -> message.communicationId().equals(watched) && message.status().equals("SENT")));
		assertThat(publicationsForWebhooks(watched)).isPositive();
		assertThat(webhooks.messages(apiKeyId, 50)).noneMatch((message) -> message.communicationId().equals(unwatched));
	}

	private long sentCount(UUID communicationId) {
		return jdbc.sql("SELECT count(*) FROM delivery WHERE communication_id = ? AND status = 'SENT'")
			.param(communicationId)
			.query(Long.class)
			.single();
	}

	private long publicationsForWebhooks(UUID communicationId) {
		String like = "%" + communicationId + "%";
		return jdbc.sql("""
				SELECT (SELECT count(*) FROM event_publication WHERE listener_id LIKE '%StatusWebhooks%'
				          AND serialized_event LIKE :like)
				     + (SELECT count(*) FROM event_publication_archive WHERE listener_id LIKE '%StatusWebhooks%'
				          AND serialized_event LIKE :like)""").param("like", like).query(Long.class).single();
	}

	@Test
	void removingTheWebhookStopsTheMessagesAndMarksThePendingOnesFailed() {
		webhooks.register(apiKeyId, "https://client.example.com/hooks");
		accept(apiKeyId);
		await().atMost(Duration.ofSeconds(60)).until(() -> !webhooks.messages(apiKeyId, 50).isEmpty());

		assertThat(webhooks.remove(apiKeyId)).isTrue();

		assertThat(webhooks.find(apiKeyId)).isEmpty();
		assertThat(webhooks.messages(apiKeyId, 50)).allSatisfy((message) -> {
			assertThat(message.state()).isEqualTo("FAILED");
			assertThat(message.lastResult()).isEqualTo("webhook removed");
		});
		assertThat(webhooks.remove(apiKeyId)).isFalse();
	}

	@Test
	void onlyAbsoluteHttpsUrlsWithoutCredentialsAreTakenWhenPlainHttpIsNotAllowed() {
		StatusWebhooks strict = new StatusWebhooks(jdbc, communications,
				properties(Duration.ofSeconds(30), Duration.ofHours(24), false), Clock.systemUTC());
		for (String url : List.of("http://client.example.com/hooks", "ftp://client.example.com/hooks", "/hooks",
				"https://user:password@client.example.com/hooks", "not a url", "")) {
			assertThatExceptionOfType(ProblemException.class).as(url)
				.isThrownBy(() -> strict.register(apiKeyId, url))
				.satisfies((ex) -> assertThat(ex.fields()).singleElement()
					.satisfies((field) -> assertThat(field.field()).isEqualTo("url")));
		}
		assertThat(strict.register(apiKeyId, "https://client.example.com/hooks?tenant=7").url())
			.hasToString("https://client.example.com/hooks?tenant=7");
		assertThat(webhooks.find(apiKeyId)).get().satisfies((found) -> assertThat(found.secret()).isNull());
	}

	private StatusWebhookSender sender(Duration firstRetry, Duration giveUpAfter) {
		return new StatusWebhookSender(jdbc, properties(firstRetry, giveUpAfter, true), Clock.systemUTC());
	}

	private static StatusWebhookProperties properties(Duration firstRetry, Duration giveUpAfter, boolean plainHttp) {
		return new StatusWebhookProperties(true, Duration.ofSeconds(5), 100, Duration.ofSeconds(10), firstRetry,
				Duration.ofHours(1), giveUpAfter, plainHttp);
	}

	private UUID accept(@Nullable UUID apiKeyId) {
		return sent.acceptInvoice(
				customers.upsert("H-" + UUID.randomUUID(),
						new CustomerDetails("Hooked Customer", Locale.UK, ZoneId.of("Europe/London"), null, null, null,
								Map.of(), Map.of(Purpose.TRANSACTIONAL, List.of(Channel.PORTAL)), null, List.of())),
				apiKeyId);
	}

	private static List<StatusWebhookMessage> oldestFirst(List<StatusWebhookMessage> newestFirst) {
		List<StatusWebhookMessage> messages = new java.util.ArrayList<>(newestFirst);
		java.util.Collections.reverse(messages);
		return messages;
	}

	private static String field(LoggedRequest request, String name) {
		return String.valueOf(JSON.readValue(request.getBody(), Map.class).get(name));
	}

}
