package org.ccm.delivery.print;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.ccm.core.ContactState;
import org.ccm.core.CustomerProfile;
import org.ccm.core.CustomerStatus;
import org.ccm.core.PostalAddress;
import org.ccm.core.testing.EmbeddedPostgresServer;
import org.ccm.delivery.DeliveryProperties;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;

class PrintBatchesTests {

	@TempDir
	Path directory;

	PrintBatches batches;

	@BeforeEach
	void batches() {
		String url = EmbeddedPostgresServer.newDatabase();
		Flyway.configure().dataSource(url, "postgres", "postgres").locations("classpath:db/migration").load().migrate();
		DeliveryProperties properties = new Binder(new MapConfigurationPropertySource(
				Map.of("ccm.delivery.print.batch-directory", this.directory.toString())))
			.bindOrCreate("ccm.delivery", DeliveryProperties.class);
		this.batches = new PrintBatches(properties,
				JdbcClient.create(new DriverManagerDataSource(url, "postgres", "postgres")));
	}

	@Test
	void documentsGoIntoTodaysBatchWithAManifestLineAndTheBatchIsClosedWhenTheDayIsOver() throws IOException {
		CustomerProfile customer = customer();
		UUID first = UUID.randomUUID();
		UUID second = UUID.randomUUID();
		String file = this.batches.add(first, customer, customer.postalAddress(), pdf(3));
		this.batches.add(second, customer, customer.postalAddress(), pdf(1));

		LocalDate today = LocalDate.now(ZoneOffset.UTC);
		Path batch = this.directory.resolve(today.toString());
		assertThat(file).isEqualTo(today + "/" + first + ".pdf");
		assertThat(batch.resolve(first + ".pdf")).exists();
		List<CSVRecord> lines = manifest(batch);
		assertThat(lines).hasSize(2);
		assertThat(lines.get(0).get("delivery_id")).isEqualTo(first.toString());
		assertThat(lines.get(0).get("address_line_1")).isEqualTo("Flat 2, \"The Old Mill\"");
		assertThat(lines.get(0).get("address_line_3")).isEqualTo("Ilkley Moor Bridge");
		assertThat(lines.get(0).get("city")).isEqualTo("Łódź");
		assertThat(lines.get(0).get("pages")).isEqualTo("3");
		assertThat(lines.get(1).get("pages")).isEqualTo("1");

		assertThat(this.batches.closeBatchesBefore(today)).isEmpty();
		assertThat(batch.resolve(PrintBatches.CLOSED)).doesNotExist();
		assertThat(this.batches.closeBatchesBefore(today.plusDays(1))).containsExactly(today);
		assertThat(Files.readString(batch.resolve(PrintBatches.CLOSED))).contains("documents=2");
		assertThat(this.batches.closeBatchesBefore(today.plusDays(1))).isEmpty();
	}

	private static List<CSVRecord> manifest(Path batch) throws IOException {
		try (Reader reader = Files.newBufferedReader(batch.resolve(PrintBatches.MANIFEST))) {
			return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(reader).getRecords();
		}
	}

	private static CustomerProfile customer() {
		Instant now = Instant.now();
		return new CustomerProfile(UUID.randomUUID(), "c-print", "Zoë Ćwik", Locale.ENGLISH, ZoneId.of("UTC"),
				CustomerStatus.ACTIVE, null, null,
				new PostalAddress(List.of("Flat 2, \"The Old Mill\"", "Mill Lane", "Ilkley", "Moor Bridge"), "90-001",
						"Łódź", "PL", ContactState.VERIFIED),
				Map.of(), Map.of(), null, List.of(), now, now);
	}

	private static byte[] pdf(int pages) throws IOException {
		try (PDDocument document = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
			for (int i = 0; i < pages; i++) {
				document.addPage(new PDPage());
			}
			document.save(out);
			return out.toByteArray();
		}
	}

}
