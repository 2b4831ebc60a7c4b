package org.ccm.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An import and the same rows sent one by one as upserts leave the same customers,
 * contact points, consent history, audit trail and timeline: both go through one change
 * calculation, the import through set-based statements. Small batches put the rows of one
 * file through several batches on several threads.
 */
@CoreTest
@TestPropertySource(properties = { "ccm.core.imports.batch-size=4", "ccm.core.imports.parse-threads=2" })
class ImportMatchesUpsertsTests {

	static final String ACTOR = "crm-sync";

	// every column, so that an import row and an upsert speak about the same fields
	static final String CSV = String.join("\n",
			"externalId,name,locale,timeZone,email,phone,addressLine1,addressLine2,postcode,city,country,attr.tier,"
					+ "attr.score,preferences.TRANSACTIONAL,preferences.MARKETING,quietHours,consent.EMAIL.MARKETING,"
					+ "consent.SMS.MARKETING",
			// same email (bounced, stays so), new phone, new tier
			"S-1,Alice Martin,en-GB,Europe/London,alice@example.com,+447911123457,12 Orchard Lane,,OX1 2JD,Oxford,GB,"
					+ "platinum,5,EMAIL|PRINT,,21:00-08:00,,",
			// a consent already granted and one withdrawn that was never given
			"S-2,Bob Stone,,,bob@example.com,,,,,,,silver,,,,,true,false",
			// unchanged; the score written as 5.0 is the stored 5
			"S-3,Carl Berg,de-DE,Europe/Berlin,carl@example.com,,,,,,,gold,5.0,EMAIL,,,,",
			// email removed, moved to Lyon, consent withdrawn
			"S-4,Dana Smith,fr-FR,Europe/Paris,,06 12 34 56 78,1 rue X,Bât. B,69001,Lyon,FR,,,SMS|EMAIL,SMS,,false,",
			// rejected: stays as seeded
			"S-5,Eve Adams,,,eve@@example.com,,,,,,,,,,,,,",
			"N-1,\"Martin; \"\"Al\"\" Back\\slash\",en-GB,,al@example.com,07911 123456,\"12 Orchard Lane\nFlat 2\","
					+ "\"Quote \"\" and \\ backslash\",OX1 2JD,Oxford,GB,gold,1.5,EMAIL|PRINT,EMAIL,22:00-07:00,true,",
			"N-2,Łódź Tab\tName,pl-PL,Europe/Warsaw,lodz@example.com,+48601234567,ul. Piotrkowska 1,,90-001,Łódź,PL,"
					+ ",,,,,,true",
			"N-3,Bad Phone,,,,+1 555,,,,,,,,,,,,", "N-4,Bad Score,,,,,,,,,,,many,,,,,",
			"N-5,Fay,,,fay@example.com,,,,,,,bronze,,PORTAL,,,false,false", "N-6,Gus,,,,,,,,,,,,,,,,",
			"N-7,Hal,en-US,America/New_York,hal@example.com,(212) 736-5000,,,,,,,7,EMAIL|SMS,SMS,23:00-06:00,true,true",
			"N-8,Bad Quiet,,,,,,,,,,,,,,25:00-07:00,,",
			"N-9,Ida,,,IDA@EXAMPLE.COM,,1 High St,,AB1 2CD,Aberdeen,gb,,,,,,,", "N-10,Jo,,Bad/Zone,,,,,,,,,,,,,,", "")
			+ "\n";

	@Autowired
	CustomerImports imports;

	@Autowired
	Customers customers;

	@Autowired
	CustomerAttributes attributes;

	@Autowired
	JsonMapper json;

	@Autowired
	JdbcClient jdbc;

	@Test
	void anImportLeavesWhatTheSameRowsSentAsUpsertsLeave() throws IOException {
		attributes.define(new AttributeDefinition("score", AttributeType.NUMBER, false, "test score"));

		reset();
		seed();
		Path file = file();
		ImportJob job = imports.submit(file, ImportFormat.CSV, null, ACTOR);
		await().atMost(Duration.ofSeconds(60))
			.until(() -> imports.find(job.id()).orElseThrow().status(),
					(status) -> status == ImportJob.Status.COMPLETED || status == ImportJob.Status.FAILED);
		ImportJob done = imports.find(job.id()).orElseThrow();
		assertThat(done.status()).isEqualTo(ImportJob.Status.COMPLETED);
		List<Long> importRejected = jdbc
			.sql("SELECT row_number FROM import_rejection WHERE job_id = ? ORDER BY row_number")
			.param(job.id())
			.query(Long.class)
			.list();
		Tables imported = tables();

		reset();
		seed();
		List<Long> upsertRejected = new ArrayList<>();
		try (ImportFile rows = ImportFile.open(file(), ImportFormat.CSV, null, attributes, json)) {
			while (rows.hasNext()) {
				Supplier<ImportRow> next = rows.next();
				ImportRow row = next.get();
				if (!row.problems().isEmpty() || row.externalId() == null) {
					upsertRejected.add(row.number());
					continue;
				}
				try {
					customers.upsert(row.externalId(), row.details(), ACTOR);
				}
				catch (InvalidCustomerException ex) {
					upsertRejected.add(row.number());
				}
			}
		}
		Tables upserted = tables();

		assertThat(importRejected).containsExactly(5L, 8L, 9L, 13L, 15L);
		assertThat(upsertRejected).isEqualTo(importRejected);
		assertThat(done.accepted()).isEqualTo(10);
		assertThat(imported.customers()).hasSize(11);
		assertThat(imported.customers()).isEqualTo(upserted.customers());
		assertThat(imported.consentHistory()).isEqualTo(upserted.consentHistory());
		assertThat(imported.audit()).isEqualTo(upserted.audit());
		assertThat(imported.timeline()).isEqualTo(upserted.timeline());
		// the file did change things: not two empty tables compared
		assertThat(imported.audit()).contains(List.of("S-1", "phone", "UPDATED", ACTOR),
				List.of("S-4", "consent.EMAIL.MARKETING", "WITHDRAWN", ACTOR),
				List.of("N-1", "customer", "CREATED", ACTOR));
		assertThat(imported.customers()).anySatisfy((row) -> assertThat(row).startsWith("S-1", "Alice Martin")
			.contains("alice@example.com", "BOUNCED", "+447911123457", "UNVERIFIED"));
		assertThat(imported.customers()).anySatisfy((row) -> assertThat(row).startsWith("N-1",
				"Martin; \"Al\" Back\\slash", "en-GB", "UTC", "ACTIVE", "al@example.com", "UNVERIFIED", "+447911123456",
				"UNVERIFIED", "{\"12 Orchard Lane\nFlat 2\",\"Quote \\\" and \\\\ backslash\"}"));
	}

	@Test
	void aRowRepeatingAnEarlierBatchIsRejected() throws IOException {
		Path file = Files.createTempFile("import-repeats", ".csv");
		Files.writeString(file, "externalId,name\nR-1,First\nR-2,Second\nR-3,Third\nR-4,Fourth\nR-5,Fifth\nR-1,Again\n",
				StandardCharsets.UTF_8);
		ImportJob job = imports.submit(file, ImportFormat.CSV, null, ACTOR);
		await().atMost(Duration.ofSeconds(60))
			.until(() -> imports.find(job.id()).orElseThrow().status(),
					(status) -> status == ImportJob.Status.COMPLETED || status == ImportJob.Status.FAILED);

		assertThat(imports.find(job.id()).orElseThrow().accepted()).isEqualTo(5);
		assertThat(customers.findByExternalId("R-1").orElseThrow().name()).isEqualTo("First");
		assertThat(jdbc.sql("SELECT row_number || ': ' || reason FROM import_rejection WHERE job_id = ?")
			.param(job.id())
			.query(String.class)
			.list()).containsExactly("6: externalId: appears earlier in the file");
	}

	Path file() throws IOException {
		Path file = Files.createTempFile("import-matches", ".csv");
		Files.writeString(file, CSV, StandardCharsets.UTF_8);
		return file;
	}

	void seed() {
		CustomerProfile alice = customers
			.upsert("S-1",
					new CustomerDetails("Alice Martin", Locale.forLanguageTag("en-GB"), ZoneId.of("Europe/London"),
							"alice@example.com", "+447911123456",
							new PostalAddress(List.of("12 Orchard Lane"), "OX1 2JD", "Oxford", "GB",
									ContactState.UNVERIFIED),
							Map.of("tier", "gold", "score", 5),
							Map.of(Purpose.TRANSACTIONAL, List.of(Channel.EMAIL, Channel.PRINT)),
							new QuietHours(LocalTime.of(21, 0), LocalTime.of(8, 0)), List.of()),
					"seed")
			.customer();
		customers.markContactState(alice.id(), Channel.EMAIL, ContactState.BOUNCED, "hard bounce");
		customers.upsert("S-2",
				new CustomerDetails("Bob Stone", null, null, "bob@example.com", null, null, Map.of("tier", "silver"),
						Map.of(), null, List.of(new ConsentChange(Channel.EMAIL, Purpose.MARKETING, true, "web form"))),
				"seed");
		customers.upsert("S-3",
				new CustomerDetails("Carl Berg", Locale.GERMANY, ZoneId.of("Europe/Berlin"), "carl@example.com", null,
						null, Map.of("tier", "gold", "score", 5), Map.of(Purpose.TRANSACTIONAL, List.of(Channel.EMAIL)),
						null, List.of()),
				"seed");
		customers.upsert("S-4",
				new CustomerDetails("Dana Smith", Locale.FRANCE, ZoneId.of("Europe/Paris"), "dana@example.com",
						"+33612345678", null, Map.of(), Map.of(), null,
						List.of(new ConsentChange(Channel.EMAIL, Purpose.MARKETING, true, "shop"))),
				"seed");
		customers.upsert("S-5", new CustomerDetails("Eve Adams", null, null, "eve@example.com", null, null, Map.of(),
				Map.of(), null, List.of()), "seed");
	}

	void reset() {
		jdbc.sql("TRUNCATE customer, consent_event, customer_audit, interaction, customer_engagement, import_job, "
				+ "import_rejection CASCADE")
			.update();
	}

	record Tables(List<List<Object>> customers, List<List<Object>> consentHistory, List<List<Object>> audit,
			List<List<Object>> timeline) {
	}

	// every value but generated ids and timestamps
	Tables tables() {
		return new Tables(rows("""
				SELECT external_id, name, locale, time_zone, status, email, email_state, phone, phone_state,
				  address_lines::text, postcode, city, country, address_state, attributes::text, preferences::text,
				  quiet_start::text, quiet_end::text
				FROM customer ORDER BY external_id
				"""), rows("""
				SELECT c.external_id, e.channel, e.purpose, e.granted, e.source, e.changed_by
				FROM consent_event e JOIN customer c ON c.id = e.customer_id ORDER BY c.external_id, e.id
				"""), rows("""
				SELECT c.external_id, a.field, a.action, a.changed_by
				FROM customer_audit a JOIN customer c ON c.id = a.customer_id ORDER BY c.external_id, a.id
				"""), rows("""
				SELECT c.external_id, i.type, i.channel, i.detail::text
				FROM interaction i JOIN customer c ON c.id = i.customer_id
				ORDER BY c.external_id, i.type, i.channel, i.detail::text
				"""));
	}

	List<List<Object>> rows(String sql) {
		return jdbc.sql(sql).query((rs, n) -> {
			List<Object> row = new ArrayList<>();
			for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
				row.add(String.valueOf(rs.getObject(i)));
			}
			return row;
		}).list();
	}

}
