package org.ccm;

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
import org.ccm.security.ApiKeys;
import org.ccm.security.ApiScope;
import org.ccm.tracking.PortalLinks;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers.springSecurity;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * Revoking a customer's portal links, in the staff UI and through the API: the old links
 * answer the portal's "no longer valid" page over real HTTP, new ones work, and the audit
 * log says who revoked them.
 */
class PortalLinkRevocationTests extends RunningPlatform {

	@Autowired
	Customers customers;

	@Autowired
	PortalLinks links;

	@Autowired
	ApiKeys apiKeys;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	WebApplicationContext context;

	@Test
	void aStaffRevocationVoidsOldLinksAndIsAuditedAsTheStaffMember() throws Exception {
		CustomerProfile customer = customer();
		String old = this.links.token(customer.id());
		assertThat(portal(old)).isEqualTo(200);
		MockMvc mvc = MockMvcBuilders.webAppContextSetup(this.context).apply(springSecurity()).build();

		// a marketer is refused by the application's rules, and nothing is revoked
		int refused = mvc
			.perform(post("/admin/customers/{id}/portal-links/revoke", customer.externalId())
				.with(user("mara").roles("MARKETER"))
				.with(csrf()))
			.andReturn()
			.getResponse()
			.getStatus();
		assertThat(refused).isEqualTo(403);
		assertThat(portal(old)).isEqualTo(200);

		int status = mvc
			.perform(post("/admin/customers/{id}/portal-links/revoke", customer.externalId())
				.with(user("olga").roles("OPS"))
				.with(csrf()))
			.andReturn()
			.getResponse()
			.getStatus();
		assertThat(status).isEqualTo(302);

		assertThat(portal(old)).isEqualTo(404);
		assertThat(this.http.get().uri("/portal/{token}", old).retrieve().body(String.class))
			.contains("no longer valid");
		assertThat(portal(this.links.token(customer.id()))).isEqualTo(200);
		assertThat(audited(customer)).anySatisfy((row) -> {
			assertThat(row).containsEntry("actor", "olga")
				.containsEntry("actor_type", "STAFF")
				.containsEntry("action", "portal-links.revoked")
				.containsEntry("outcome", "SUCCESS");
			assertThat((String) row.get("detail")).startsWith("links issued before");
		});
	}

	@Test
	void anApiKeyWithCustomersWriteRevokesThem() {
		CustomerProfile customer = customer();
		String old = this.links.token(customer.id());
		String reader = this.apiKeys.issue("portal-reader-" + System.nanoTime(), Set.of(ApiScope.CUSTOMERS_READ));
		String writer = this.apiKeys.issue("portal-support-" + System.nanoTime(), Set.of(ApiScope.CUSTOMERS_WRITE));

		assertThat(revoke(customer.externalId(), reader)).isEqualTo(403);
		assertThat(portal(old)).isEqualTo(200);
		assertThat(revoke("nobody-" + UUID.randomUUID(), writer)).isEqualTo(404);
		assertThat(revoke(customer.externalId(), writer)).isEqualTo(204);

		assertThat(portal(old)).isEqualTo(404);
		assertThat(portal(this.links.token(customer.id()))).isEqualTo(200);
		assertThat(audited(customer)).anySatisfy((row) -> assertThat(row).containsEntry("actor_type", "API")
			.containsEntry("action", "portal-links.revoked"));
	}

	private int revoke(String externalId, String key) {
		return this.http.delete()
			.uri("/api/v1/customers/{id}/portal-links", externalId)
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + key)
			.retrieve()
			.toBodilessEntity()
			.getStatusCode()
			.value();
	}

	private int portal(String token) {
		return this.http.get().uri("/portal/{token}", token).retrieve().toBodilessEntity().getStatusCode().value();
	}

	private List<Map<String, Object>> audited(CustomerProfile customer) {
		return this.jdbc
			.sql("SELECT actor, actor_type, action, outcome, detail FROM audit_event WHERE target = ? ORDER BY id")
			.param("customer:" + customer.externalId())
			.query()
			.listOfRows();
	}

	private CustomerProfile customer() {
		String externalId = "PL-" + UUID.randomUUID();
		return this.customers.upsert(externalId,
				new CustomerDetails("Portal Customer", Locale.UK, ZoneId.of("Europe/London"),
						externalId.toLowerCase(Locale.ROOT) + "@example.com", null, null, Map.of(),
						Map.of(Purpose.TRANSACTIONAL, List.of(Channel.EMAIL)), null, List.of()));
	}

}
