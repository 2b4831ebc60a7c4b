package org.ccm.admin;

import java.nio.charset.StandardCharsets;
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
import org.ccm.delivery.PortalInbox;
import org.ccm.delivery.spi.TrackedMessage;
import org.ccm.tracking.PortalLinks;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@AdminIntegrationTest
class PortalPagesTests {

	static final byte[] PDF = "%PDF-1.7 a stored document".getBytes(StandardCharsets.US_ASCII);

	@Autowired
	MockMvc mvc;

	@Autowired
	Customers customers;

	@Autowired
	PortalInbox inbox;

	@Autowired
	PortalLinks links;

	CustomerProfile customer;

	UUID document;

	@BeforeEach
	void customerWithADocument() {
		customer = customer("Grace Hopper");
		document = inbox.deliver(new TrackedMessage(UUID.randomUUID(), UUID.randomUUID(), customer.id()),
				"Invoice INV-7", "<html><body><h1>Invoice INV-7</h1><p>Total \"98.15\"</p></body></html>", PDF);
	}

	@Test
	void aSignedLinkOpensTheCustomersInboxWithoutALogin() throws Exception {
		mvc.perform(get("/portal/{token}", links.token(customer.id())))
			.andExpect(status().isOk())
			.andExpect(content().string(allOf(containsString("Grace Hopper"), containsString("Invoice INV-7"),
					containsString("/documents/" + document + ".pdf"), containsString("(new)"))));
	}

	@Test
	void aDocumentIsShownSandboxedAndMarkedRead() throws Exception {
		String token = links.token(customer.id());
		mvc.perform(get("/portal/{token}/documents/{id}", token, document))
			.andExpect(status().isOk())
			.andExpect(content().string(allOf(containsString("<iframe"), containsString("sandbox=\"\""),
					containsString("srcdoc=\"&lt;html&gt;&lt;body&gt;&lt;h1&gt;Invoice INV-7"),
					containsString("Download as PDF"))));
		mvc.perform(get("/portal/{token}", token))
			.andExpect(status().isOk())
			.andExpect(content().string(not(containsString("(new)"))));
	}

	@Test
	void thePdfIsDownloaded() throws Exception {
		byte[] body = mvc.perform(get("/portal/{token}/documents/{id}.pdf", links.token(customer.id()), document))
			.andExpect(status().isOk())
			.andExpect(content().contentType(MediaType.APPLICATION_PDF))
			.andReturn()
			.getResponse()
			.getContentAsByteArray();
		assertThat(body).isEqualTo(PDF);
	}

	@Test
	void anInvalidLinkIsANotFoundPage() throws Exception {
		String token = links.token(customer.id());
		String tampered = token.substring(0, 5) + ((token.charAt(5) == 'A') ? 'B' : 'A') + token.substring(6);
		for (String link : List.of(tampered, token.substring(0, token.length() - 1), "nothing")) {
			mvc.perform(get("/portal/{token}", link))
				.andExpect(status().isNotFound())
				.andExpect(content()
					.string(allOf(containsString("This page is not available"), not(containsString("Grace Hopper")))));
			mvc.perform(get("/portal/{token}/documents/{id}.pdf", link, document)).andExpect(status().isNotFound());
		}
		// the unsigned addresses printed on paper documents
		for (String path : List.of("/portal", "/portal/invoices/INV-2026-0042")) {
			mvc.perform(get(path))
				.andExpect(status().isNotFound())
				.andExpect(content().string(containsString("use the latest link we sent you")));
		}
	}

	@Test
	void anotherCustomersLinkDoesNotOpenTheDocument() throws Exception {
		String other = links.token(customer("Someone Else").id());
		mvc.perform(get("/portal/{token}/documents/{id}", other, document)).andExpect(status().isNotFound());
		mvc.perform(get("/portal/{token}/documents/{id}.pdf", other, document)).andExpect(status().isNotFound());
		mvc.perform(get("/portal/{token}", other))
			.andExpect(status().isOk())
			.andExpect(content().string(allOf(containsString("There are no documents in your inbox."),
					not(containsString("Invoice INV-7")))));
	}

	@Test
	void thePreferenceCentreGrantsAndWithdrawsMarketingPerReachableChannel() throws Exception {
		String token = links.token(customer.id());
		mvc.perform(get("/portal/{token}/preferences", token))
			.andExpect(status().isOk())
			.andExpect(content().string(allOf(containsString("value=\"EMAIL\""), containsString("name=\"_csrf\""),
					not(containsString("value=\"SMS\"")), not(containsString("checked")))));

		mvc.perform(post("/portal/{token}/preferences", token).param("marketing", "EMAIL"))
			.andExpect(status().isForbidden());
		mvc.perform(post("/portal/{token}/preferences", token).param("marketing", "EMAIL", "SMS").with(csrf()))
			.andExpect(redirectedUrl("/portal/" + token + "/preferences?saved"));
		CustomerProfile granted = customers.findById(customer.id()).orElseThrow();
		assertThat(granted.consents(Channel.EMAIL, Purpose.MARKETING)).isTrue();
		assertThat(granted.consents(Channel.SMS, Purpose.MARKETING)).as("no phone: not offered").isFalse();
		assertThat(customers.consentHistory(customer.id())).anySatisfy((change) -> {
			assertThat(change.source()).isEqualTo("preference centre");
			assertThat(change.changedBy()).isEqualTo("customer");
		});
		mvc.perform(get("/portal/{token}/preferences", token).param("saved", ""))
			.andExpect(
					content().string(allOf(containsString("checked"), containsString("Your preferences are saved."))));

		mvc.perform(post("/portal/{token}/preferences", token).with(csrf())).andExpect(status().is3xxRedirection());
		assertThat(customers.findById(customer.id()).orElseThrow().consents(Channel.EMAIL, Purpose.MARKETING))
			.isFalse();

		mvc.perform(post("/portal/{token}/preferences", "forged").param("marketing", "EMAIL").with(csrf()))
			.andExpect(status().isNotFound());
	}

	private CustomerProfile customer(String name) {
		String externalId = "P-" + UUID.randomUUID();
		return customers.upsert(externalId, new CustomerDetails(name, Locale.UK, ZoneId.of("Europe/London"),
				externalId.toLowerCase(Locale.ROOT) + "@example.com", null, null, Map.of(), Map.of(), null, List.of()));
	}

}
