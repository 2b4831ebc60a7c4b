package org.ccm.delivery.print;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.ccm.core.CustomerProfile;
import org.ccm.core.PostalAddress;
import org.ccm.delivery.DeliveryProperties;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Print batches on disk: one folder per day ({@code <batch-directory>/<yyyy-MM-dd>/})
 * holding the PDFs and a {@code manifest.csv} with one line per document for the print
 * shop. A batch is closed once its day is over: a {@code CLOSED} marker with the document
 * count tells the shop it is complete.
 */
@Component
class PrintBatches {

	static final String MANIFEST = "manifest.csv";

	static final String CLOSED = "CLOSED";

	static final String[] HEADER = { "delivery_id", "customer", "name", "address_line_1", "address_line_2",
			"address_line_3", "postcode", "city", "country", "pages", "file", "sha256" };

	private final Path directory;

	private final JdbcClient jdbc;

	private final Clock clock;

	PrintBatches(DeliveryProperties properties, JdbcClient jdbc) {
		this.directory = properties.print().batchDirectory().toAbsolutePath().normalize();
		this.jdbc = jdbc;
		this.clock = Clock.systemUTC();
	}

	/**
	 * Writes the PDF into today's batch and appends its manifest line.
	 * @return the file's path relative to the batch directory
	 */
	synchronized String add(UUID deliveryId, CustomerProfile customer, PostalAddress address, byte[] pdf) {
		LocalDate day = LocalDate.now(this.clock);
		Path batch = this.directory.resolve(day.toString());
		try {
			Files.createDirectories(batch);
			Path file = batch.resolve(deliveryId + ".pdf");
			Files.write(file, pdf);
			Path manifest = batch.resolve(MANIFEST);
			boolean fresh = !Files.exists(manifest);
			try (Writer writer = Files.newBufferedWriter(manifest, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
					StandardOpenOption.APPEND); CSVPrinter csv = new CSVPrinter(writer, CSVFormat.DEFAULT)) {
				if (fresh) {
					csv.printRecord((Object[]) HEADER);
				}
				List<String> lines = new ArrayList<>(address.lines());
				while (lines.size() < 3) {
					lines.add("");
				}
				csv.printRecord(deliveryId, customer.externalId(), customer.name(), lines.get(0), lines.get(1),
						String.join(" ", lines.subList(2, lines.size())), address.postcode(), address.city(),
						address.country(), pages(pdf), file.getFileName(), sha256(pdf));
			}
			this.jdbc.sql("""
					INSERT INTO print_batch (batch_date, directory, documents, opened_at) VALUES (?, ?, 1, ?)
					ON CONFLICT (batch_date) DO UPDATE SET documents = print_batch.documents + 1""")
				.params(day, batch.toString(), Timestamp.from(Instant.now(this.clock)))
				.update();
			return this.directory.relativize(file).toString();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("could not write to print batch " + batch, ex);
		}
	}

	/**
	 * Closes the batches of days that are over. One replica does it at a time.
	 */
	@Scheduled(fixedDelayString = "${ccm.delivery.print.close-check:PT5M}",
			initialDelayString = "${ccm.delivery.print.close-check:PT5M}")
	@SchedulerLock(name = "ccm-delivery-close-print-batches")
	void closeFinishedBatches() {
		closeBatchesBefore(LocalDate.now(this.clock));
	}

	synchronized List<LocalDate> closeBatchesBefore(LocalDate day) {
		record Batch(LocalDate day, String directory, int documents) {
		}
		List<Batch> open = this.jdbc
			.sql("SELECT batch_date, directory, documents FROM print_batch WHERE closed_at IS NULL AND batch_date < ?")
			.param(day)
			.query((rs, row) -> new Batch(rs.getObject(1, LocalDate.class), rs.getString(2), rs.getInt(3)))
			.list();
		List<LocalDate> closed = new ArrayList<>();
		for (Batch batch : open) {
			try {
				Files.writeString(Path.of(batch.directory()).resolve(CLOSED),
						"documents=" + batch.documents() + "\nclosed=" + Instant.now(this.clock) + "\n");
			}
			catch (IOException ex) {
				throw new UncheckedIOException("could not close print batch " + batch.directory(), ex);
			}
			this.jdbc.sql("UPDATE print_batch SET closed_at = ? WHERE batch_date = ?")
				.params(Timestamp.from(Instant.now(this.clock)), batch.day())
				.update();
			closed.add(batch.day());
		}
		return closed;
	}

	private static int pages(byte[] pdf) throws IOException {
		try (PDDocument document = Loader.loadPDF(pdf)) {
			return document.getNumberOfPages();
		}
	}

	private static String sha256(byte[] content) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
