package org.ccm;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.ccm.admin.CapturedMessages;
import org.ccm.local.DemoData;
import org.ccm.local.LocalContainers;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.web.client.RestClient;
import org.testcontainers.junit.jupiter.Testcontainers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An invoice sent by email on the servers of {@code docker-compose.yml}, in containers:
 * PostgreSQL 18, the Kafka broker and Mailpit, as the local run uses them where a Docker
 * engine answers. Skipped on machines without one.
 */
@Testcontainers(disabledWithoutDocker = true)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "ccm.delivery.print.batch-directory=${java.io.tmpdir}/ccm-container-print",
				"ccm.delivery.sms.twilio.base-url=http://127.0.0.1:9" })
@ActiveProfiles("local")
@Import(LocalContainers.class)
class ContainerPlatformTests {

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	CapturedMessages captured;

	@Test
	void anInvoiceReachesTheCustomersMailboxThroughTheComposeServers() {
		assertThat(this.jdbc.sql("SELECT current_setting('server_version_num')::int").query(Integer.class).single())
			.isGreaterThanOrEqualTo(180000);
		RestClient http = RestClient.builder()
			.baseUrl("http://localhost:" + this.port + "/api/v1")
			.defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + DemoData.DEMO_API_KEY)
			.build();
		String customer = "C-" + UUID.randomUUID();
		String email = customer.toLowerCase() + "@example.com";
		http.put()
			.uri("/customers/{id}", customer)
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("name", "Container Customer", "locale", "en-GB", "timeZone", "UTC", "email", email,
					"preferences", Map.of("TRANSACTIONAL", List.of("EMAIL"))))
			.retrieve()
			.toBodilessEntity();
		http.post()
			.uri("/communications")
			.header("Idempotency-Key", UUID.randomUUID().toString())
			.contentType(MediaType.APPLICATION_JSON)
			.body(Map.of("customer", customer, "template", "invoice", "purpose", "TRANSACTIONAL", "data",
					Map.of("invoiceNumber", "INV-CONTAINER-1", "issueDate", "2026-11-01", "dueDate", "2026-11-30",
							"currency", "GBP", "lines",
							List.of(Map.of("description", "Electricity", "quantity", 1, "unitPrice", 10.0)), "total",
							10.0)))
			.retrieve()
			.toBodilessEntity();

		CapturedMessages.CapturedMail mail = await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> this.captured.mail()
				.stream()
				.filter((message) -> message.to().stream().anyMatch((to) -> to.contains(email)))
				.findFirst()
				.orElse(null), (message) -> message != null);
		assertThat(mail.subject()).contains("INV-CONTAINER-1");
		assertThat(mail.rawMessage()).contains("application/pdf");
	}

}
