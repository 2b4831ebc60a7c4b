package org.ccm;

import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.ccm.core.Channel;
import org.ccm.core.ContactState;
import org.ccm.core.CustomerDetails;
import org.ccm.core.CustomerProfile;
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
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * Clearing a bounced address in the staff UI is written to the audit log with who did it
 * and the reason they gave.
 */
class ContactPointAuditTests extends RunningPlatform {

	@Autowired
	Customers customers;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	WebApplicationContext context;

	@Test
	void theReasonForClearingABounceIsAudited() throws Exception {
		MockMvc mvc = MockMvcBuilders.webAppContextSetup(this.context).apply(springSecurity()).build();
		String externalId = "AUD-" + UUID.randomUUID();
		CustomerProfile customer = this.customers.upsert(externalId,
				new CustomerDetails("Audited Customer", Locale.UK, ZoneId.of("Europe/London"),
						externalId.toLowerCase(Locale.ROOT) + "@example.com", null, null, Map.of(),
						Map.of(Purpose.TRANSACTIONAL, List.of(Channel.EMAIL)), null, List.of()));
		this.customers.markContactState(customer.id(), Channel.EMAIL, ContactState.BOUNCED, "550 5.1.1");

		int status = mvc
			.perform(post("/admin/customers/{id}/contact-points/EMAIL/clear", externalId)
				.param("reason", "the customer fixed their mailbox")
				.with(user("olga").roles("OPS"))
				.with(csrf()))
			.andReturn()
			.getResponse()
			.getStatus();
		assertThat(status).isEqualTo(302);

		List<Map<String, Object>> audited = this.jdbc
			.sql("SELECT actor, action, target, detail FROM audit_event WHERE target LIKE ? ORDER BY id")
			.param("%" + externalId + "%")
			.query()
			.listOfRows();
		assertThat(audited).anySatisfy((row) -> {
			assertThat(row).containsEntry("actor", "olga").containsEntry("action", "contact-point.cleared");
			assertThat((String) row.get("detail")).contains("the customer fixed their mailbox");
		});
	}

}
