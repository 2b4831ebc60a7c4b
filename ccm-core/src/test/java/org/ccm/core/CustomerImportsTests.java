package org.ccm.core;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@CoreTest
class CustomerImportsTests {

	@Autowired
	CustomerImports imports;

	@Autowired
	Customers customers;

	@Autowired
	MockMvcTester mvc;

	ImportJob importFile(String content, ImportFormat format) throws IOException {
		Path file = Files.createTempFile("import-test", ".txt");
		Files.writeString(file, content, StandardCharsets.UTF_8);
		ImportJob job = imports.submit(file, format, null, "test");
		return finished(job.id());
	}

	ImportJob finished(UUID id) {
		await().atMost(Duration.ofSeconds(60))
			.until(() -> imports.find(id).orElseThrow().status(),
					(status) -> status == ImportJob.Status.COMPLETED || status == ImportJob.Status.FAILED);
		return imports.find(id).orElseThrow();
	}

	List<CSVRecord> rejected(UUID id) throws IOException {
		StringWriter out = new StringWriter();
		imports.writeRejected(id, out);
		return CSVFormat.DEFAULT.builder()
			.setHeader()
			.setSkipHeaderRecord(true)
			.get()
			.parse(new StringReader(out.toString()))
			.getRecords();
	}

	@Autowired
	org.springframework.jdbc.core.simple.JdbcClient jdbc;

	@Test
	void anImportLeftRunningByAStoppedInstanceIsFailedAndItsStagingTableDropped() {
		java.util.UUID abandoned = java.util.UUID.randomUUID();
		java.util.UUID alive = java.util.UUID.randomUUID();
		for (java.util.UUID job : java.util.List.of(abandoned, alive)) {
			jdbc.sql("""
					INSERT INTO import_job (id, format, status, submitted_by, created_at, heartbeat_at)
					VALUES (?, 'CSV', 'RUNNING', 'test', now() - interval '1 hour',
					        now() - CASE WHEN ? THEN interval '10 minutes' ELSE interval '10 seconds' END)
					""").params(job, job.equals(abandoned)).update();
			jdbc.sql("CREATE UNLOGGED TABLE customer_import_" + job.toString().replace("-", "") + " (ord bigint)")
				.update();
		}

		assertThat(imports.failAbandoned()).contains(abandoned).doesNotContain(alive);

		ImportJob failed = imports.find(abandoned).orElseThrow();
		assertThat(failed.status()).isEqualTo(ImportJob.Status.FAILED);
		assertThat(failed.failure()).contains("stopped before it finished");
		assertThat(imports.find(alive).orElseThrow().status()).isEqualTo(ImportJob.Status.RUNNING);
		assertThat(jdbc.sql("SELECT count(*) FROM pg_class WHERE relname = ?")
			.param("customer_import_" + abandoned.toString().replace("-", ""))
			.query(Long.class)
			.single()).isZero();
		assertThat(jdbc.sql("SELECT count(*) FROM pg_class WHERE relname = ?")
			.param("customer_import_" + alive.toString().replace("-", ""))
			.query(Long.class)
			.single()).isEqualTo(1);
		// the sweep runs again and again: nothing twice
		assertThat(imports.failAbandoned()).doesNotContain(abandoned);
		jdbc.sql("UPDATE import_job SET status = 'FAILED' WHERE id = ?").param(alive).update();
	}

	@Test
	void semicolonCsvWithBomQuotesAndEmbeddedNewlines() throws IOException {
		String csv = "\uFEFFexternalId;name;email;phone;addressLine1;city;country;attr.tier;preferences.TRANSACTIONAL;consent.EMAIL.MARKETING\r\n"
				+ "IMP-1;\"Martin; Alice\";alice@example.com;+447911123456;\"12 Orchard Lane\nFlat 2\";Oxford;GB;gold;EMAIL|PRINT;true\r\n"
				+ "IMP-2;Bob;bob@@example;;;;;;;\r\n" + "IMP-3;Carl;carl@example.com;;;;;platinum;;maybe\r\n"
				+ "IMP-1;Dup;dup@example.com;;;;;;;\r\n"
				+ "IMP-4;\"Dana \"\"D\"\" Smith\";dana@example.com;06 12 34 56 78;1 rue X;Lyon;FR;;SMS|PIGEON;false\r\n"
				+ "IMP-5;Short\r\n" + "IMP-6;Eve;eve@example.com;;;;;;PRINT;\r\n";

		ImportJob job = importFile(csv, ImportFormat.CSV);

		assertThat(job.status()).isEqualTo(ImportJob.Status.COMPLETED);
		assertThat(job.processed()).isEqualTo(7);
		assertThat(job.accepted()).isEqualTo(2);
		assertThat(job.rejected()).isEqualTo(5);
		assertThat(job.progress()).isEqualTo(1.0);
		CustomerProfile alice = customers.findByExternalId("IMP-1").orElseThrow();
		assertThat(alice.name()).isEqualTo("Martin; Alice");
		assertThat(alice.postalAddress().lines()).containsExactly("12 Orchard Lane\nFlat 2");
		assertThat(alice.phone().value()).isEqualTo("+447911123456");
		assertThat(alice.attributes()).containsEntry("tier", "gold");
		assertThat(alice.channelsFor(Purpose.TRANSACTIONAL)).containsExactly(Channel.EMAIL, Channel.PRINT);
		assertThat(alice.consents(Channel.EMAIL, Purpose.MARKETING)).isTrue();
		assertThat(customers.findByExternalId("IMP-6")).isPresent();
		// rejected rows leave nothing behind
		assertThat(customers.findByExternalId("IMP-2")).isEmpty();
		assertThat(customers.findByExternalId("IMP-3")).isEmpty();
		assertThat(customers.findByExternalId("IMP-4")).isEmpty();
		assertThat(customers.findByExternalId("IMP-5")).isEmpty();

		List<CSVRecord> rejected = rejected(job.id());
		assertThat(rejected).extracting((r) -> r.get("row")).containsExactly("2", "3", "4", "5", "6");
		assertThat(rejected.get(0).get("reason")).contains("email");
		assertThat(rejected.get(1).get("reason")).contains("consent.EMAIL.MARKETING");
		assertThat(rejected.get(2).get("reason")).contains("appears earlier in the file");
		assertThat(rejected.get(3).get("reason")).contains("preferences.TRANSACTIONAL").contains("PIGEON");
		assertThat(rejected.get(3).get("raw")).contains("\"Dana \"\"D\"\" Smith\"");
		assertThat(rejected.get(4).get("reason")).contains("has 2 columns");
	}

	@Test
	void jsonLinesWithBadLines() throws IOException {
		String lines = """
				{"externalId": "JL-1", "name": "Jo", "email": "jo@example.com", "attributes": {"tier": "gold"}}
				{"externalId": "JL-2", "name": "Broken", "email":
				{"externalId": "JL-3", "name": "Ty", "attributes": {"tier": 7}}
				{"externalId": "JL-4", "name": "Un", "attributes": {"hair": "red"}}
				{"name": "Nobody"}

				{"externalId": "JL-5", "name": "Vi", "phone": "+33612345678", "preferences": {"MARKETING": ["SMS"]},
				{"externalId": "JL-6", "name": "Wu", "phone": "+33612345678", "preferences": {"MARKETING": ["SMS"]}, "consents": [{"channel": "SMS", "purpose": "MARKETING", "granted": true, "source": "shop"}]}
				""";
		ImportJob job = importFile(lines, ImportFormat.JSON_LINES);

		assertThat(job.status()).isEqualTo(ImportJob.Status.COMPLETED);
		assertThat(job.accepted()).isEqualTo(2);
		assertThat(job.rejected()).isEqualTo(5);
		assertThat(rejected(job.id())).extracting((r) -> r.get("reason"))
			.satisfiesExactly((r) -> assertThat(r).contains("not valid JSON"),
					(r) -> assertThat(r).contains("attributes.tier").contains("STRING"),
					(r) -> assertThat(r).contains("attributes.hair").contains("not a declared attribute"),
					(r) -> assertThat(r).contains("externalId: is required"),
					(r) -> assertThat(r).contains("not valid JSON"));
		assertThat(customers.findByExternalId("JL-6").orElseThrow().consents(Channel.SMS, Purpose.MARKETING)).isTrue();
	}

	@Test
	void updatesOnlyTheColumnsTheFileHas() throws IOException {
		customers.upsert("UPD-1", new CustomerDetails("Old Name", null, null, "old@example.com", "+33612345678", null,
				java.util.Map.of("tier", "gold"), java.util.Map.of(), null, List.of()));
		ImportJob job = importFile("externalId,name,email\nUPD-1,New Name,new@example.com\n", ImportFormat.CSV);

		assertThat(job.accepted()).isEqualTo(1);
		CustomerProfile updated = customers.findByExternalId("UPD-1").orElseThrow();
		assertThat(updated.name()).isEqualTo("New Name");
		assertThat(updated.email().value()).isEqualTo("new@example.com");
		assertThat(updated.phone().value()).isEqualTo("+33612345678");
		assertThat(updated.attributes()).containsEntry("tier", "gold");
		assertThat(customers.auditTrail(updated.id())).extracting(FieldChange::field, FieldChange::changedBy)
			.contains(org.assertj.core.groups.Tuple.tuple("name", "test"),
					org.assertj.core.groups.Tuple.tuple("email", "test"));
	}

	@Test
	void duplicatesAcrossBatchesAreRejected() throws IOException {
		StringBuilder csv = new StringBuilder("externalId,name\n");
		for (int i = 1; i <= 2500; i++) {
			csv.append("BIG-").append(i).append(",Customer ").append(i).append('\n');
		}
		csv.append("BIG-7,Again\n");
		ImportJob job = importFile(csv.toString(), ImportFormat.CSV);

		assertThat(job.accepted()).isEqualTo(2500);
		assertThat(job.rejected()).isEqualTo(1);
		assertThat(customers.findByExternalId("BIG-7").orElseThrow().name()).isEqualTo("Customer 7");
		assertThat(rejected(job.id())).singleElement().satisfies((r) -> assertThat(r.get("row")).isEqualTo("2501"));
	}

	@Test
	void anUnknownColumnStopsTheImportWithAReason() throws IOException {
		ImportJob job = importFile("externalId,name,attr.shoe_size\nX-1,Xi,42\n", ImportFormat.CSV);
		assertThat(job.status()).isEqualTo(ImportJob.Status.FAILED);
		assertThat(job.failure()).contains("attr.shoe_size").contains("not a declared attribute");
		assertThat(customers.findByExternalId("X-1")).isEmpty();
	}

	@Test
	void importsOverHttp() throws Exception {
		var submitted = mvc.post()
			.uri("/api/v1/customers:import")
			.contentType(MediaType.valueOf("text/csv"))
			.content("externalId,name,email\nHTTP-1,Hal,hal@example.com\nHTTP-2,Ian,not-an-email\n")
			.exchange();
		assertThat(submitted).hasStatus(202).headers().containsHeader("Location");
		UUID id = UUID
			.fromString(com.jayway.jsonpath.JsonPath.read(submitted.getResponse().getContentAsString(), "$.id"));
		finished(id);
		var job = assertThat(mvc.get().uri("/api/v1/imports/" + id)).hasStatusOk().bodyJson();
		job.extractingPath("$.accepted").isEqualTo(1);
		job.extractingPath("$.rejected").isEqualTo(1);
		var rejected = mvc.get().uri("/api/v1/imports/" + id + "/rejected").exchange();
		assertThat(rejected).hasStatusOk();
		assertThat(rejected.getResponse().getContentAsString()).startsWith("row,externalId,reason,raw")
			.contains("HTTP-2")
			.contains("email: is not a valid email address");
		assertThat(mvc.post().uri("/api/v1/customers:import").contentType(MediaType.APPLICATION_PDF).content("x"))
			.hasStatus(415);
		assertThat(mvc.get().uri("/api/v1/imports/" + UUID.randomUUID())).hasStatus(404);
	}

}
