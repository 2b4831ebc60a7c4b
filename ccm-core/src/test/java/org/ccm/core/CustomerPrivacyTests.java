package org.ccm.core;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@CoreTest
@RecordApplicationEvents
class CustomerPrivacyTests {

	@Autowired
	MockMvcTester mvc;

	@Autowired
	Customers customers;

	@Autowired
	CustomerAttributes attributes;

	@Autowired
	Transactions transactions;

	@Autowired
	Timeline timeline;

	@Autowired
	CustomerImports imports;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	ApplicationEvents events;

	static final List<String> PII = List.of("GDPR-77", "Zoe Quinterra", "zoe.quinterra@example.org", "+33698765432",
			"7 Impasse des Glycines", "75011", "Paris", "1983-04-05", "Zoe's delivery note", "zoe.q@work.example");

	@Test
	void exportHoldsEverythingAndErasureLeavesNoPersonalDataInAnyTable() throws Exception {
		attributes.define(new AttributeDefinition("birth_date", AttributeType.DATE, true, null));
		UUID id = customers
			.upsert("GDPR-77",
					new CustomerDetails("Zoe Quinterra", null, null, "zoe.quinterra@example.org", "+33698765432",
							new PostalAddress(List.of("7 Impasse des Glycines"), "75011", "Paris", "FR",
									ContactState.UNVERIFIED),
							Map.of("tier", "gold", "birth_date", "1983-04-05"),
							Map.of(Purpose.MARKETING, List.of(Channel.SMS)), null,
							List.of(new ConsentChange(Channel.SMS, Purpose.MARKETING, true, "shop"))))
			.id();
		transactions.record(id, new TransactionDetails("PURCHASE", "SKU-1", new BigDecimal("42.00"), "EUR",
				Instant.now().minus(Duration.ofDays(3)), Map.of("note", "Zoe's delivery note")));
		timeline.record(new Interaction(id, InteractionType.SENT, Channel.EMAIL, UUID.randomUUID(), null, Instant.now(),
				Map.of("to", "zoe.quinterra@example.org")));
		Path file = Files.createTempFile("gdpr", ".csv");
		Files.writeString(file, "externalId,name,email\nGDPR-77,Zoe Quinterra,zoe.q@work.example\n"
				+ "GDPR-77,Zoe Quinterra,zoe.q@work.example\n", StandardCharsets.UTF_8);
		UUID job = imports.submit(file, ImportFormat.CSV, null, "test").id();
		await().until(() -> imports.find(job).orElseThrow().status() == ImportJob.Status.COMPLETED);

		var export = assertThat(mvc.get().uri("/api/v1/customers/GDPR-77/export")).hasStatusOk().bodyJson();
		export.extractingPath("$.customer.name").isEqualTo("Zoe Quinterra");
		export.extractingPath("$.customer.attributes.birth_date").isEqualTo("1983-04-05");
		export.extractingPath("$.consentHistory[0].source").isEqualTo("shop");
		export.extractingPath("$.transactions[0].payload.note").isEqualTo("Zoe's delivery note");
		export.extractingPath("$.interactions[*].type").asArray().contains("SENT", "TRANSACTION", "CONSENT_CHANGED");
		export.extractingPath("$.rejectedImportRows[0].raw").asString().contains("zoe.q@work.example");
		export.extractingPath("$.audit[*].field").asArray().contains("customer");
		assertThat(dump()).contains(PII);

		assertThat(mvc.delete().uri("/api/v1/customers/GDPR-77")).hasStatus(204);

		assertThat(events.stream(CustomerErased.class)).containsExactly(new CustomerErased(id));
		assertThat(mvc.get().uri("/api/v1/customers/GDPR-77")).hasStatus(404);
		CustomerProfile erased = customers.findById(id).orElseThrow();
		assertThat(erased.status()).isEqualTo(CustomerStatus.ERASED);
		assertThat(erased.attributes()).containsOnlyKeys("tier");
		assertThat(jdbc.sql("SELECT erased_by FROM customer_erasure WHERE customer_id = ?")
			.param(id)
			.query(String.class)
			.single()).isEqualTo("api");
		String everything = dump();
		for (String value : PII) {
			assertThat(everything).as("no table holds %s", value).doesNotContain(value);
		}
		// the transaction itself stays, without its payload, for aggregate figures
		assertThat(transactions.of(id, 10)).singleElement().satisfies((t) -> assertThat(t.payload()).isEmpty());
	}

	/**
	 * Every row of every table in the schema, as text.
	 */
	String dump() {
		StringBuilder all = new StringBuilder();
		List<String> tables = jdbc.sql(
				"SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'")
			.query(String.class)
			.list();
		assertThat(tables).contains("customer", "interaction", "consent_event", "customer_audit", "import_rejection",
				"customer_transaction", "event_publication");
		for (String table : tables) {
			jdbc.sql("SELECT t::text FROM \"" + table + "\" t").query(String.class).list().forEach(all::append);
		}
		return all.toString();
	}

}
