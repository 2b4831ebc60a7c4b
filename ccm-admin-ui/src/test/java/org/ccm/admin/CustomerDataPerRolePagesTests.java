package org.ccm.admin;

import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.ccm.core.Channel;
import org.ccm.core.CustomerDetails;
import org.ccm.core.CustomerProfile;
import org.ccm.core.Customers;
import org.ccm.core.Purpose;
import org.ccm.delivery.Communications;
import org.ccm.delivery.SendRequest;
import org.ccm.templates.Actor;
import org.ccm.templates.DraftRequest;
import org.ccm.templates.NewTemplate;
import org.ccm.templates.ProofSets;
import org.ccm.templates.TemplateAuthoring;
import org.ccm.templates.TemplateVersion;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.RequestBuilder;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Customer data per role on the dashboard and in the studio's previews: marketers,
 * operators and administrators see recent communications with their customers and preview
 * for a real customer; the brand team and approvers see neither, and preview with sample
 * customers and proof sets of sample data.
 */
@AdminIntegrationTest
class CustomerDataPerRolePagesTests {

	static final Actor BRAND_TEAM = new Actor("brand-team", Set.of(Actor.BRAND));

	@Autowired
	MockMvc mvc;

	@Autowired
	TemplateAuthoring authoring;

	@Autowired
	ProofSets proofSets;

	@Autowired
	Customers customers;

	@Autowired
	Communications communications;

	String key;

	CustomerProfile customer;

	@BeforeEach
	void templateWithProofSetsAndACustomer() {
		this.key = "roles-" + UUID.randomUUID().toString().substring(0, 8);
		TemplateVersion invoice = this.authoring.version("invoice", 1);
		this.authoring.create(new NewTemplate(this.key, "Role invoice", Purpose.TRANSACTIONAL,
				Set.of(Channel.EMAIL, Channel.PRINT), "invoice", List.of("payment-terms", "company-details")),
				BRAND_TEAM);
		this.authoring.createDraft(this.key,
				new DraftRequest(invoice.content(), invoice.dataSchema(), invoice.sampleData()), BRAND_TEAM);
		String externalId = "PV-" + UUID.randomUUID();
		this.customer = this.customers.upsert(externalId,
				new CustomerDetails("Petra Preview", Locale.UK, ZoneId.of("Europe/London"),
						externalId.toLowerCase(Locale.ROOT) + "@example.com", null, null, Map.of(),
						Map.of(Purpose.TRANSACTIONAL, List.of(Channel.EMAIL)), null, List.of()));
		this.proofSets.add(this.key, "Real customer", externalId, null, BRAND_TEAM);
		this.proofSets.add(this.key, "Sample only", null, null, BRAND_TEAM);
	}

	@ParameterizedTest
	@ValueSource(strings = { "ADMIN", "MARKETER", "OPS" })
	void staffWhoSeeCustomersPreviewForARealCustomer(String role) throws Exception {
		Document version = page(get("/admin/templates/{key}/versions/1", this.key).with(staff(role)));
		assertThat(version.select("input#preview-customer")).hasSize(1);

		Document preview = page(preview().param("customer", this.customer.externalId()).with(staff(role)));
		assertThat(preview.select(".alert.error")).isEmpty();
		assertThat(preview.select(".meta").text()).contains("customer " + this.customer.externalId());
		assertThat(Jsoup.parse(preview.select("iframe").attr("srcdoc")).text()).contains("Petra Preview");
		Document proof = page(preview().param("proof", "Real customer").with(staff(role)));
		assertThat(Jsoup.parse(proof.select("iframe").attr("srcdoc")).text()).contains("Petra Preview");
		this.mvc
			.perform(get("/admin/templates/{key}/versions/1/preview.pdf", this.key)
				.param("customer", this.customer.externalId())
				.with(staff(role)))
			.andExpect(status().isOk());
	}

	@ParameterizedTest
	@ValueSource(strings = { "APPROVER", "BRAND" })
	void otherStaffPreviewWithSampleDataOnly(String role) throws Exception {
		Document version = page(get("/admin/templates/{key}/versions/1", this.key).with(staff(role)));
		assertThat(version.select("input#preview-customer")).isEmpty();
		assertThat(version.select("input#proof-customer")).isEmpty();

		String refused = this.mvc.perform(preview().param("customer", this.customer.externalId()).with(staff(role)))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(Jsoup.parse(refused).select(".alert.error").text())
			.contains("Only marketers, operators and administrators preview for a real customer");
		assertThat(refused).doesNotContain("Petra Preview").doesNotContain("<iframe");
		Document proof = page(preview().param("proof", "Real customer").with(staff(role)));
		assertThat(proof.select(".alert.error").text()).contains("shows a real customer");
		assertThat(proof.html()).doesNotContain("Petra Preview");
		Document sample = page(preview().param("proof", "Sample only").with(staff(role)));
		assertThat(sample.select(".alert.error")).isEmpty();
		assertThat(Jsoup.parse(sample.select("iframe").attr("srcdoc")).text()).contains("Sample Customer");

		this.mvc
			.perform(get("/admin/templates/{key}/versions/1/preview.pdf", this.key)
				.param("customer", this.customer.externalId())
				.with(staff(role)))
			.andExpect(status().isForbidden());
		this.mvc.perform(get("/admin/templates/{key}/versions/1/preview.pdf", this.key).with(staff(role)))
			.andExpect(status().isOk());
		if (role.equals("BRAND")) {
			// an author, but not one who may name a customer in a proof set
			this.mvc
				.perform(post("/admin/templates/{key}/proof-sets", this.key).with(staff(role))
					.with(csrf())
					.param("name", "Sneaky")
					.param("customer", this.customer.externalId()))
				.andExpect(status().isForbidden());
			assertThat(this.proofSets.find(this.key, "Sneaky")).isEmpty();
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "ADMIN", "MARKETER", "OPS" })
	void theDashboardListsRecentCommunicationsWithTheirCustomers(String role) throws Exception {
		accept();
		Document dashboard = page(get("/admin").with(staff(role)));
		assertThat(dashboard.select("h1").text()).isEqualTo("Recent communications");
		assertThat(dashboard.select("#recent").text()).contains(this.customer.externalId());
		assertThat(page(get("/admin/communications/recent").with(staff(role))).text())
			.contains(this.customer.externalId());
	}

	@ParameterizedTest
	@ValueSource(strings = { "APPROVER", "BRAND" })
	void theDashboardOfOtherStaffNamesNoCustomer(String role) throws Exception {
		accept();
		String dashboard = this.mvc.perform(get("/admin").with(staff(role)))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		Document page = Jsoup.parse(dashboard);
		assertThat(page.select("h1").text()).isEqualTo("Dashboard");
		assertThat(page.select("#recent")).isEmpty();
		assertThat(page.select("#no-customer-data")).hasSize(1);
		assertThat(dashboard).doesNotContain(this.customer.externalId()).doesNotContain("/admin/communications/recent");
		this.mvc.perform(get("/admin/communications/recent").with(staff(role))).andExpect(status().isForbidden());
	}

	private void accept() {
		SendRequest invoice = new SendRequest(this.customer.externalId(), "invoice", Purpose.TRANSACTIONAL,
				Map.of("invoiceNumber", "INV-91", "issueDate", "2026-11-01", "dueDate", "2026-11-30", "currency", "GBP",
						"lines", List.of(Map.of("description", "Gas, October", "quantity", 1, "unitPrice", 12.50)),
						"total", 12.50),
				List.of(Channel.PORTAL));
		try {
			this.communications.accept(invoice, UUID.randomUUID().toString(), "role-tests");
		}
		catch (UnsupportedOperationException ex) {
			Assumptions.abort("needs the templates module's published 'invoice' template: " + ex.getMessage());
		}
	}

	private org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder preview() {
		return get("/admin/templates/{key}/versions/1/preview", this.key).param("channel", "EMAIL");
	}

	private Document page(RequestBuilder request) throws Exception {
		return Jsoup
			.parse(this.mvc.perform(request).andExpect(status().isOk()).andReturn().getResponse().getContentAsString());
	}

	private static RequestPostProcessor staff(String role) {
		return user("staff-" + role.toLowerCase(Locale.ROOT)).roles(role);
	}

}
