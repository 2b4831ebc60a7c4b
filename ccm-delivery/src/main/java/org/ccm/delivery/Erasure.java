package org.ccm.delivery;

import org.ccm.core.CustomerErased;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Removes what the delivery module holds about an erased customer: the portal inbox, the
 * archived documents and the data the communications were composed from. The delivery
 * records themselves stay, without personal data, so that statistics still add up.
 */
@Component
class Erasure {

	private final JdbcClient jdbc;

	Erasure(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@ApplicationModuleListener
	void on(CustomerErased erased) {
		this.jdbc.sql("DELETE FROM portal_document WHERE customer_id = ?").param(erased.customerId()).update();
		this.jdbc.sql("""
				DELETE FROM archived_document
				 WHERE delivery_id IN (SELECT id FROM delivery WHERE customer_id = ?)""")
			.param(erased.customerId())
			.update();
		this.jdbc.sql("UPDATE communication SET data = '{}'::jsonb, customer_external_id = '' WHERE customer_id = ?")
			.param(erased.customerId())
			.update();
	}

}
