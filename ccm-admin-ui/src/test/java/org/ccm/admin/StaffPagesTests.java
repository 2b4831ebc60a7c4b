package org.ccm.admin;

import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.ccm.core.Channel;
import org.ccm.core.ConsentChange;
import org.ccm.core.CustomerDetails;
import org.ccm.core.CustomerProfile;
import org.ccm.core.Customers;
import org.ccm.core.Purpose;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.web.servlet.MockMvc;

import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.matchesRegex;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@AdminIntegrationTest
class StaffPagesTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	Customers customers;

	@Test
	void theLoginFormPostsCredentialsWithACsrfToken() throws Exception {
		mvc.perform(get("/admin/login"))
			.andExpect(status().isOk())
			.andExpect(content().string(allOf(containsString("action=\"/admin/login\""),
					containsString("name=\"username\""), containsString("name=\"password\""),
					containsString("name=\"_csrf\""), not(containsString("role=\"alert\"")))));
		mvc.perform(get("/admin/login").param("error", ""))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("The user name or password is not right.")));
	}

	@Test
	void staffPagesNeedALogin() throws Exception {
		mvc.perform(get("/admin")).andExpect(status().is3xxRedirection()).andExpect(redirectedUrl("/admin/login"));
		mvc.perform(get("/admin/captured")).andExpect(status().is3xxRedirection());
	}

	@Test
	@WithMockUser(username = "ops", roles = "OPS")
	void theDashboardIsALayoutWithNavigationHtmxAndTheSignedInUser() throws Exception {
		mvc.perform(get("/admin"))
			.andExpect(status().isOk())
			.andExpect(content().string(allOf(containsString("<h1>Recent communications</h1>"),
					matchesRegex("(?s).*src=\"/webjars/htmx\\.org/[^\"]*dist/htmx\\.min\\.js\".*"),
					containsString("/admin/css/admin.css"), containsString("hx-get=\"/admin/communications/recent\""),
					containsString("href=\"/admin/captured\""), containsString(">ops<"),
					containsString("action=\"/admin/logout\""))));
	}

	@Test
	void theStylesheetAndHtmxAreServedLocally() throws Exception {
		mvc.perform(get("/admin/css/admin.css"))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString(".badge")));
		mvc.perform(get("/webjars/htmx.org/dist/htmx.min.js"))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("htmx")));
	}

	@Test
	@WithMockUser(roles = "MARKETER")
	void anUnknownCommunicationIsANotFoundPage() throws Exception {
		mvc.perform(get("/admin/communications/{id}", UUID.randomUUID()))
			.andExpect(status().isNotFound())
			.andExpect(content().string(containsString("There is no communication")));
	}

	@Test
	@WithMockUser(roles = "OPS")
	void withoutASandboxTheCapturedPageSaysMessagesGoToRealProviders() throws Exception {
		mvc.perform(get("/admin/captured"))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("This run delivers to real providers")));
	}

	@Test
	@WithMockUser(roles = "MARKETER")
	void aCustomerIsFoundByExternalIdAndShownWithConsentsAndTimeline() throws Exception {
		CustomerProfile customer = customer();
		mvc.perform(get("/admin/customers").param("externalId", customer.externalId()))
			.andExpect(redirectedUrl("/admin/customers/" + customer.externalId()));
		mvc.perform(get("/admin/customers/{id}", customer.externalId()))
			.andExpect(status().isOk())
			.andExpect(content().string(allOf(containsString("Ada &lt;Lovelace&gt;"),
					containsString("MARKETING on EMAIL"), containsString("Timeline"),
					containsString("href=\"/admin/customers/" + customer.externalId() + "/portal\""))));
		mvc.perform(get("/admin/customers").param("externalId", "nobody-" + UUID.randomUUID()))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("No customer has the external id")));
		mvc.perform(get("/admin/customers/{id}", "nobody-" + UUID.randomUUID())).andExpect(status().isNotFound());
	}

	@Test
	@WithMockUser
	void loggingOutNeedsTheCsrfToken() throws Exception {
		mvc.perform(post("/admin/logout")).andExpect(status().isForbidden());
		mvc.perform(post("/admin/logout").with(csrf())).andExpect(redirectedUrl("/admin/login?logout"));
	}

	private CustomerProfile customer() {
		String externalId = "A-" + UUID.randomUUID();
		return customers.upsert(externalId,
				new CustomerDetails("Ada <Lovelace>", Locale.UK, ZoneId.of("Europe/London"),
						externalId.toLowerCase(Locale.ROOT) + "@example.com", null, null, Map.of(),
						Map.of(Purpose.MARKETING, List.of(Channel.EMAIL)), null,
						List.of(new ConsentChange(Channel.EMAIL, Purpose.MARKETING, true, "web form"))));
	}

}
