package org.ccm;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.ccm.client.ApiClient;
import org.ccm.client.ApiException;
import org.ccm.client.api.CommunicationsApi;
import org.ccm.client.api.CustomersApi;
import org.ccm.client.model.Accepted;
import org.ccm.client.model.CommunicationView;
import org.ccm.client.model.CustomerRequest;
import org.ccm.client.model.CustomerView;
import org.ccm.client.model.SendRequest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * A back-office system's view of the platform: a client generated from the committed API
 * description (docs/openapi.json) creates a customer, sends an invoice and follows it
 * until it is sent, against the running platform.
 */
class GeneratedClientTests extends RunningPlatform {

	@Test
	void aGeneratedClientSendsAnInvoiceAndFollowsIt() throws Exception {
		ApiClient client = new ApiClient();
		client.updateBaseUri("http://localhost:" + port);
		client.setRequestInterceptor((request) -> request.header("Authorization", "Bearer " + API_KEY));
		CustomersApi customers = new CustomersApi(client);
		CommunicationsApi communications = new CommunicationsApi(client);

		String externalId = "GEN-" + UUID.randomUUID();
		CustomerView customer = customers.upsertCustomer(externalId,
				new CustomerRequest().name("Generated Client")
					.locale("en-GB")
					.timeZone("Europe/London")
					.email(externalId.toLowerCase() + "@example.com")
					.preferences(Map.of("TRANSACTIONAL", List.of(CustomerRequest.InnerEnum.EMAIL))));
		assertThat(customer.getExternalId()).isEqualTo(externalId);

		SendRequest invoice = new SendRequest().customer(externalId)
			.template("invoice")
			.purpose(SendRequest.PurposeEnum.TRANSACTIONAL)
			.data(Map.of("invoiceNumber", "INV-GEN-1", "issueDate", "2026-11-01", "dueDate", "2026-11-30", "currency",
					"GBP", "lines", List.of(Map.of("description", "Electricity", "quantity", 1, "unitPrice", 42.5)),
					"total", 42.5));
		String key = "gen-" + UUID.randomUUID();
		Accepted accepted = communications.sendCommunication(key, invoice);
		assertThat(accepted.getStatus()).isEqualTo("ACCEPTED");
		assertThat(communications.sendCommunication(key, invoice).getId()).isEqualTo(accepted.getId());

		CommunicationView sent = await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(300))
			.until(() -> communications.getCommunication(accepted.getId()),
					(view) -> view.getStatus() == CommunicationView.StatusEnum.SENT);
		assertThat(sent.getCustomerExternalId()).isEqualTo(externalId);
		assertThat(sent.getDeliveries()).singleElement()
			.satisfies((delivery) -> assertThat(delivery.getHistory()).isNotEmpty());

		// an error answer arrives as the documented problem
		assertThatExceptionOfType(ApiException.class)
			.isThrownBy(() -> communications.sendCommunication(key, invoice.template("statement")))
			.satisfies((ex) -> {
				assertThat(ex.getCode()).isEqualTo(422);
				assertThat(ex.getResponseBody()).contains("urn:ccm:problem:idempotency-key-reused");
			});
	}

}
