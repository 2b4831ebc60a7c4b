package org.ccm.core;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Imports copy new customers straight into their tables. When someone else created one of
 * them meanwhile, nothing of the batch is copied and the transaction goes on, so the
 * import can write the batch through its staging table instead.
 */
@CoreTest
class NewCustomersCopyTests {

	@Autowired
	CustomerTable table;

	@Autowired
	CustomerValidation validation;

	@Autowired
	Customers customers;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	PlatformTransactionManager transactionManager;

	@Test
	void aBatchWithAnExternalIdCreatedMeanwhileCopiesNothingAndLeavesTheTransactionUsable() {
		customers.upsert("COPY-1", details("Someone Else", List.of()), "crm");
		UUID job = UUID.randomUUID();
		CustomerTable.Staged fresh = staged("COPY-2", "Fresh Customer",
				List.of(new ConsentChange(Channel.EMAIL, Purpose.MARKETING, true, "import")));
		CustomerTable.Staged taken = staged("COPY-1", "Taken Meanwhile", List.of());
		Instant now = Instant.now();

		boolean copied = new TransactionTemplate(transactionManager).execute((status) -> {
			boolean refused = table.copyNew(List.of(fresh, taken), job, "importer", now);
			// the transaction still works after the refused COPY, and nothing of it is
			// left
			assertThat(rows("SELECT count(*) FROM customer WHERE external_id = 'COPY-2'")).isZero();
			return !refused && table.copyNew(List.of(fresh), job, "importer", now);
		});

		assertThat(copied).isTrue();
		UUID id = fresh.change().next().id();
		assertThat(customers.findByExternalId("COPY-1").orElseThrow().name()).isEqualTo("Someone Else");
		assertThat(customers.findByExternalId("COPY-2").orElseThrow().name()).isEqualTo("Fresh Customer");
		assertThat(jdbc.sql("SELECT import_job FROM customer WHERE id = ?").param(id).query(UUID.class).single())
			.isEqualTo(job);
		assertThat(jdbc
			.sql("SELECT field || ' ' || action || ' ' || changed_by FROM customer_audit"
					+ " WHERE customer_id = ? ORDER BY id")
			.param(id)
			.query(String.class)
			.list()).containsExactly("customer CREATED importer", "consent.EMAIL.MARKETING GRANTED importer");
		assertThat(jdbc
			.sql("SELECT channel || ' ' || purpose || ' ' || granted || ' ' || source || ' ' || changed_by"
					+ " FROM consent_event WHERE customer_id = ?")
			.param(id)
			.query(String.class)
			.list()).containsExactly("EMAIL MARKETING true import importer");
	}

	CustomerTable.Staged staged(String externalId, String name, List<ConsentChange> consents) {
		Map<String, String> problems = new LinkedHashMap<>();
		ValidDetails valid = validation.validate(externalId, details(name, consents), problems);
		assertThat(problems).isEmpty();
		return table.stage(CustomerChange.create(TimeOrderedUuid.next(), externalId, valid));
	}

	static CustomerDetails details(String name, List<ConsentChange> consents) {
		return new CustomerDetails(name, null, null, "copy@example.com", "+33612345678", null, Map.of(), Map.of(), null,
				consents);
	}

	long rows(String sql) {
		return jdbc.sql(sql).query(Long.class).single();
	}

}
