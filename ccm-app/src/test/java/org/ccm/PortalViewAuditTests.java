package org.ccm;

import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.ccm.core.Channel;
import org.ccm.core.CustomerDetails;
import org.ccm.core.Customers;
import org.ccm.core.Purpose;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers.springSecurity;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * Staff viewing a customer's portal are written to the audit log under their own name,
 * and their attempts to change anything there are refused and recorded as such; the
 * customer's consent stays as it was.
 */
class PortalViewAuditTests extends RunningPlatform {

	@Autowired
	Customers customers;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	WebApplicationContext context;

	@Test
	void eachViewIsAuditedAsTheStaffMemberAndWritesAreRefused() throws Exception {
		MockMvc mvc = MockMvcBuilders.webAppContextSetup(this.context).apply(springSecurity()).build();
		String externalId = "VIEW-" + UUID.randomUUID();
		var customer = this.customers.upsert(externalId,
				new CustomerDetails("Viewed Customer", Locale.UK, ZoneId.of("Europe/London"),
						externalId.toLowerCase(Locale.ROOT) + "@example.com", null, null, Map.of(), Map.of(), null,
						List.of()));
		String base = "/admin/customers/" + externalId + "/portal";
		assertThat(mvc.perform(get(base).with(user("mona").roles("MARKETER"))).andReturn().getResponse().getStatus())
			.isEqualTo(200);
		assertThat(mvc.perform(get(base + "/preferences").with(user("mona").roles("MARKETER")))
			.andReturn()
			.getResponse()
			.getStatus()).isEqualTo(200);
		assertThat(mvc
			.perform(post(base + "/preferences").param("marketing", "EMAIL")
				.with(user("mona").roles("MARKETER"))
				.with(csrf()))
			.andReturn()
			.getResponse()
			.getStatus()).isEqualTo(403);
		assertThat(mvc.perform(get(base).with(user("abe").roles("APPROVER"))).andReturn().getResponse().getStatus())
			.isEqualTo(403);

		List<Map<String, Object>> audited = this.jdbc
			.sql("SELECT actor, action, outcome FROM audit_event WHERE target LIKE ? ORDER BY id")
			.param("%" + externalId + "%")
			.query()
			.listOfRows();
		assertThat(audited).anySatisfy((row) -> assertThat(row).containsEntry("actor", "mona")
			.containsEntry("action", "export GET " + base)
			.containsEntry("outcome", "SUCCESS"));
		assertThat(audited).anySatisfy((row) -> assertThat(row).containsEntry("actor", "mona")
			.containsEntry("action", "export GET " + base + "/preferences"));
		assertThat(audited).anySatisfy((row) -> assertThat(row).containsEntry("actor", "mona")
			.containsEntry("action", "POST " + base + "/preferences")
			.containsEntry("outcome", "DENIED"));
		assertThat(audited).noneSatisfy((row) -> assertThat(row).containsEntry("actor", "customer"));
		assertThat(this.customers.findById(customer.id()).orElseThrow().consents(Channel.EMAIL, Purpose.MARKETING))
			.isFalse();
	}

}
