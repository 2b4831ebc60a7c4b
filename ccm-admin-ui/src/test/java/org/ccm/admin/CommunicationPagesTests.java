package org.ccm.admin;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.ccm.core.Channel;
import org.ccm.core.CustomerDetails;
import org.ccm.core.CustomerProfile;
import org.ccm.core.Customers;
import org.ccm.core.Purpose;
import org.ccm.delivery.CommunicationView;
import org.ccm.delivery.Communications;
import org.ccm.delivery.DeliveryStatus;
import org.ccm.delivery.SendRequest;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The dashboard and detail pages over a communication accepted and delivered by the real
 * delivery module.
 */
@AdminIntegrationTest
class CommunicationPagesTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	Customers customers;

	@Autowired
	Communications communications;

	@Test
	@WithMockUser(roles = "MARKETER")
	void aDeliveredCommunicationIsListedWithItsChannelStatusAndShownInDetail() throws Exception {
		CustomerProfile customer = customer();
		UUID id = accept(customer);
		await().atMost(Duration.ofSeconds(60))
			.until(() -> communications.find(id).map(CommunicationView::deliveries).orElse(List.of()),
					(deliveries) -> !deliveries.isEmpty() && deliveries.get(0).status() == DeliveryStatus.SENT);

		mvc.perform(get("/admin"))
			.andExpect(status().isOk())
			.andExpect(content().string(allOf(containsString("/admin/communications/" + id),
					containsString(customer.externalId()), containsString("status-sent"))));
		mvc.perform(get("/admin/communications/recent"))
			.andExpect(status().isOk())
			.andExpect(content()
				.string(allOf(containsString("id=\"recent\""), containsString("/admin/communications/" + id))));
		String detail = mvc.perform(get("/admin/communications/{id}", id))
			.andExpect(status().isOk())
			.andExpect(content().string(allOf(containsString("invoice"), containsString("PORTAL"),
					containsString("Status history"), containsString("status-queued\">QUEUED"),
					containsString("/admin/communications/" + id + "/documents/PORTAL"))))
			.andReturn()
			.getResponse()
			.getContentAsString();
		// staff reach the customer's portal only read-only, never through a customer's
		// link
		assertThat(detail).doesNotContain("href=\"/portal/")
			.contains("href=\"/admin/customers/" + customer.externalId() + "/portal\"");
		mvc.perform(get("/admin/communications/{id}/documents/{channel}", id, "PORTAL"))
			.andExpect(status().isOk())
			.andExpect(content().contentType(MediaType.APPLICATION_PDF));
	}

	private UUID accept(CustomerProfile customer) {
		SendRequest invoice = new SendRequest(customer.externalId(), "invoice", Purpose.TRANSACTIONAL,
				Map.of("invoiceNumber", "INV-88", "issueDate", "2026-11-01", "dueDate", "2026-11-30", "currency", "GBP",
						"lines",
						List.of(Map.of("description", "Electricity, October", "quantity", 1, "unitPrice", 84.20)),
						"total", 84.20),
				List.of(Channel.PORTAL));
		try {
			return communications.accept(invoice, UUID.randomUUID().toString(), "admin-tests").communicationId();
		}
		catch (UnsupportedOperationException ex) {
			Assumptions.abort("needs the templates module's published 'invoice' template: " + ex.getMessage());
			throw ex;
		}
	}

	private CustomerProfile customer() {
		String externalId = "K-" + UUID.randomUUID();
		return customers.upsert(externalId,
				new CustomerDetails("Listed Customer", Locale.UK, ZoneId.of("Europe/London"), null, null, null,
						Map.of(), Map.of(Purpose.TRANSACTIONAL, List.of(Channel.PORTAL)), null, List.of()));
	}

}
