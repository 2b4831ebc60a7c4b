package org.ccm.core;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The data-protection rights over this module's data: an export of everything held about
 * a customer, and erasure. Erasure keeps the customer's row (so counts, transactions and
 * timeline statistics stay consistent) but removes every personal value: name, contact
 * points, address, PII attributes, external id, transaction payloads, interaction details
 * and rejected import rows naming them. It is recorded in {@code customer_erasure} and
 * announced with {@link CustomerErased} so other modules erase what they hold.
 */
@Service
class CustomerPrivacy {

	private final JdbcClient jdbc;

	private final Customers customers;

	private final Timeline timeline;

	private final Transactions transactions;

	private final CustomerAttributes attributes;

	private final CustomerTable table;

	private final ApplicationEventPublisher events;

	private final Topics topics;

	private final Clock clock;

	CustomerPrivacy(JdbcClient jdbc, Customers customers, Timeline timeline, Transactions transactions,
			CustomerAttributes attributes, CustomerTable table, ApplicationEventPublisher events, Topics topics,
			Clock clock) {
		this.topics = topics;
		this.clock = clock;
		this.jdbc = jdbc;
		this.customers = customers;
		this.timeline = timeline;
		this.transactions = transactions;
		this.attributes = attributes;
		this.table = table;
		this.events = events;
	}

	/**
	 * Everything this module holds about the customer, as plain values ready for JSON.
	 */
	@Transactional(readOnly = true)
	public Map<String, Object> export(UUID customerId) {
		CustomerProfile profile = customers.findById(customerId)
			.orElseThrow(() -> new UnknownCustomerException(customerId));
		Map<String, Object> export = new LinkedHashMap<>();
		export.put("exportedAt", Instant.now());
		export.put("customer", profile);
		export.put("consentHistory", customers.consentHistory(customerId));
		export.put("topicHistory", topics.history(customerId));
		export.put("audit", customers.auditTrail(customerId));
		export.put("transactions", transactions.of(customerId, Integer.MAX_VALUE));
		List<TimelineEntry> interactions = new ArrayList<>();
		String cursor = null;
		do {
			TimelinePage page = timeline.page(customerId, cursor, 1_000);
			interactions.addAll(page.entries());
			cursor = page.nextCursor();
		}
		while (cursor != null);
		export.put("interactions", interactions);
		export.put("rejectedImportRows",
				jdbc.sql("""
						SELECT job_id, row_number, reason, raw FROM import_rejection WHERE external_id = ?
						ORDER BY job_id, row_number
						""")
					.param(profile.externalId())
					.query((rs, n) -> Map.of("importId", rs.getObject(1, UUID.class), "row", rs.getLong(2), "reason",
							rs.getString(3), "raw", rs.getString(4)))
					.list());
		return export;
	}

	/**
	 * Erases the customer's personal data from every table of this module.
	 * @return false when the customer had been erased already
	 */
	@Transactional
	public boolean erase(UUID customerId, String actor) {
		String externalId = jdbc.sql("SELECT external_id FROM customer WHERE id = ? FOR UPDATE")
			.param(customerId)
			.query(String.class)
			.optional()
			.orElseThrow(() -> new UnknownCustomerException(customerId));
		Instant now = Instant.now(this.clock);
		int inserted = jdbc.sql(
				"INSERT INTO customer_erasure (customer_id, erased_by, erased_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")
			.params(customerId, actor, Timestamps.utc(now))
			.update();
		if (inserted == 0) {
			return false;
		}
		String[] pii = attributes.all()
			.stream()
			.filter(AttributeDefinition::pii)
			.map(AttributeDefinition::name)
			.toArray(String[]::new);
		jdbc.sql("""
				UPDATE customer SET external_id = 'erased:' || id, name = 'erased', status = 'ERASED', email = NULL,
				  email_state = NULL, phone = NULL, phone_state = NULL, address_lines = NULL, postcode = NULL,
				  city = NULL, country = NULL, address_state = NULL, attributes = attributes - ?::text[],
				  quiet_start = NULL, quiet_end = NULL, import_job = NULL, updated_at = ?
				WHERE id = ?
				""").params(pii, Timestamps.utc(now), customerId).update();
		jdbc.sql("UPDATE customer_transaction SET payload = '{}' WHERE customer_id = ?").param(customerId).update();
		jdbc.sql("UPDATE interaction SET detail = '{}' WHERE customer_id = ?").param(customerId).update();
		jdbc.sql("DELETE FROM import_rejection WHERE external_id = ?").param(externalId).update();
		table.audit(customerId, "customer", "ERASED", actor, now);
		events.publishEvent(new CustomerErased(customerId));
		return true;
	}

}
