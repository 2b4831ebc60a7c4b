package org.ccm;

import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.JdbcUserDetailsManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The delivery meters documented in {@code docs/metrics.md} are on
 * {@code /actuator/prometheus} for operators, with the Kafka consumer lag per topic.
 */
class MetricsTests extends RunningPlatform {

	@Autowired
	JdbcUserDetailsManager staff;

	@Autowired
	PasswordEncoder passwords;

	@Test
	void deliveryMetersAndConsumerLagAreScrapedByPrometheus() throws Exception {
		String customer = "C-" + UUID.randomUUID();
		assertThat(putCustomer(customer, List.of("EMAIL")).getStatusCode().value()).isEqualTo(201);
		ResponseEntity<String> accepted = http.post()
			.uri("/api/v1/communications")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + API_KEY)
			.header("Idempotency-Key", UUID.randomUUID().toString())
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("customer", customer, "template", "invoice", "purpose", "TRANSACTIONAL", "data",
					Map.of("invoiceNumber", "INV-METRICS-1", "issueDate", "2026-11-01", "dueDate", "2026-11-30",
							"currency", "EUR", "lines",
							List.of(Map.of("description", "Electricity", "quantity", 1, "unitPrice", 42.5)), "total",
							42.5)))
			.retrieve()
			.toEntity(String.class);
		assertThat(accepted.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);

		HttpClient operator = loggedInOperator();
		HttpResponse<String> anonymous = HttpClient.newHttpClient()
			.send(request("/actuator/prometheus").build(), HttpResponse.BodyHandlers.ofString());
		assertThat(anonymous.statusCode()).as("metrics are for operators").isNotEqualTo(200);

		String scrape = await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> operator.send(request("/actuator/prometheus").build(), HttpResponse.BodyHandlers.ofString())
				.body(),
					// a partition's lag is reported once its consumer has fetched from
					// it,
					// and again after each rebalance (the retry topics' consumers join
					// late)
					(body) -> body.contains("ccm_messages_sent_total{") && Pattern
						.compile(meter("kafka_consumer_fetch_manager_records_lag", "topic=\"ccm.delivery."))
						.matcher(body)
						.find());
		assertThat(scrape).containsPattern(meter("ccm_communications_accepted_total", "purpose=\"transactional\""))
			.containsPattern(meter("ccm_messages_queued_total", "channel=\"email\""))
			.containsPattern(meter("ccm_messages_sent_total", "channel=\"email\",provider=\"smtp\""))
			.containsPattern(meter("ccm_messages_composition_seconds_count", "channel=\"email\""))
			.containsPattern(meter("ccm_messages_provider_seconds_count", "channel=\"email\""))
			.containsPattern(meter("ccm_messages_provider_seconds_count", "provider=\"smtp\""))
			.containsPattern(meter("kafka_consumer_fetch_manager_records_lag", "topic=\"ccm.delivery."));
	}

	/** A sample of the meter with the tag among its tags. */
	private static String meter(String name, String tag) {
		return Pattern.quote(name) + "\\{[^}]*" + Pattern.quote(tag) + "[^}]*\\} ";
	}

	private HttpClient loggedInOperator() throws Exception {
		String username = "metrics" + System.nanoTime();
		this.staff.createUser(
				User.withUsername(username).password(this.passwords.encode("s3cret-pass")).roles("OPS").build());
		HttpClient browser = HttpClient.newBuilder()
			.cookieHandler(new CookieManager())
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
		HttpResponse<String> loginPage = browser.send(request("/admin/login").GET().build(),
				HttpResponse.BodyHandlers.ofString());
		Matcher token = Pattern.compile("name=\"_csrf\"\\s+value=\"([^\"]+)\"|value=\"([^\"]+)\"\\s+name=\"_csrf\"")
			.matcher(loginPage.body());
		assertThat(token.find()).isTrue();
		String csrf = (token.group(1) != null) ? token.group(1) : token.group(2);
		HttpResponse<String> loggedIn = browser
			.send(request("/admin/login").header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers
					.ofString("username=" + username + "&password=s3cret-pass&_csrf=" + csrf, StandardCharsets.UTF_8))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(loggedIn.statusCode()).isEqualTo(302);
		return browser;
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path));
	}

}
