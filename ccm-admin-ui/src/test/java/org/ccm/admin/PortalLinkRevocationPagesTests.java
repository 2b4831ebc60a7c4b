package org.ccm.admin;

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
import org.ccm.tracking.PortalLinks;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Operators and administrators revoke every portal link of a customer, after a
 * confirmation: the old links lead to the portal's "no longer valid" page, links issued
 * afterwards open the inbox. Other staff can neither see the button nor revoke.
 */
@AdminIntegrationTest
class PortalLinkRevocationPagesTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	Customers customers;

	@Autowired
	PortalLinks links;

	@ParameterizedTest
	@ValueSource(strings = { "ADMIN", "OPS" })
	void operatorsRevokeEveryPortalLinkAfterAConfirmation(String role) throws Exception {
		CustomerProfile customer = customer();
		String page = "/admin/customers/" + customer.externalId();
		String old = this.links.token(customer.id());
		this.mvc.perform(get("/portal/{token}", old)).andExpect(status().isOk());

		Document shown = page(get(page).with(staff(role)));
		assertThat(shown.getElementById("revoke-portal-links").attr("href")).isEqualTo(page + "/portal-links/revoke");
		assertThat(shown.getElementById("portal-revoked")).isNull();
		Document confirm = page(get(page + "/portal-links/revoke").with(staff(role)));
		assertThat(confirm.select("h1").text()).isEqualTo("Revoke every portal link of Lin Revoked?");
		assertThat(confirm.select("form[action=" + page + "/portal-links/revoke] input[name=_csrf]")).isNotEmpty();

		// without the form's token nothing happens
		this.mvc.perform(post(page + "/portal-links/revoke").with(staff(role))).andExpect(status().isForbidden());
		this.mvc.perform(get("/portal/{token}", old)).andExpect(status().isOk());

		this.mvc.perform(post(page + "/portal-links/revoke").with(staff(role)).with(csrf()))
			.andExpect(status().is3xxRedirection())
			.andExpect(redirectedUrl(page));

		// the old link (and a click on an old message) leads to the portal's own page
		Document refused = Jsoup.parse(this.mvc.perform(get("/portal/{token}", old))
			.andExpect(status().isNotFound())
			.andReturn()
			.getResponse()
			.getContentAsString());
		assertThat(refused.text()).contains("no longer valid").doesNotContain("Lin Revoked");
		this.mvc.perform(get("/portal/{token}/preferences", old)).andExpect(status().isNotFound());
		// a link issued now, even within the same second, works
		this.mvc.perform(get("/portal/{token}", this.links.token(customer.id()))).andExpect(status().isOk());
		Document after = page(get(page).with(staff(role)));
		assertThat(after.getElementById("portal-revoked").text()).startsWith("Links issued before");
		// staff still see the customer's portal, read-only, through their own pages
		this.mvc.perform(get(after.getElementById("view-as-customer").attr("href")).with(staff(role)))
			.andExpect(status().isOk());
	}

	@ParameterizedTest
	@ValueSource(strings = { "MARKETER", "APPROVER", "BRAND" })
	void otherStaffCannotRevoke(String role) throws Exception {
		CustomerProfile customer = customer();
		String page = "/admin/customers/" + customer.externalId();
		String old = this.links.token(customer.id());
		// (the application shows APPROVER and BRAND no customer page at all)
		assertThat(page(get(page).with(staff(role))).getElementById("revoke-portal-links")).isNull();
		this.mvc.perform(get(page + "/portal-links/revoke").with(staff(role))).andExpect(status().isForbidden());
		this.mvc.perform(post(page + "/portal-links/revoke").with(staff(role)).with(csrf()))
			.andExpect(status().isForbidden());
		this.mvc.perform(get("/portal/{token}", old)).andExpect(status().isOk());
		assertThat(this.links.validFrom(customer.id())).isEmpty();
	}

	private Document page(org.springframework.test.web.servlet.RequestBuilder request) throws Exception {
		return Jsoup
			.parse(this.mvc.perform(request).andExpect(status().isOk()).andReturn().getResponse().getContentAsString());
	}

	private static RequestPostProcessor staff(String role) {
		return SecurityMockMvcRequestPostProcessors.user("staff-" + role.toLowerCase(Locale.ROOT)).roles(role);
	}

	private CustomerProfile customer() {
		String externalId = "R-" + UUID.randomUUID();
		return this.customers.upsert(externalId,
				new CustomerDetails("Lin Revoked", Locale.UK, ZoneId.of("Europe/London"),
						externalId.toLowerCase(Locale.ROOT) + "@example.com", null, null, Map.of(),
						Map.of(Purpose.TRANSACTIONAL, List.of(Channel.EMAIL)), null, List.of()));
	}

}
