package org.ccm.core;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.jspecify.annotations.Nullable;

import tools.jackson.databind.json.JsonMapper;

/**
 * An import file read as a stream of rows (CSV with a header, or JSON lines). Splitting
 * the file into rows happens in file order on the reading thread; reading a row's cells
 * into customer details ({@link ImportRow}) is left to whoever calls the row's
 * {@link Supplier}, so several threads can share that work.
 */
final class ImportFile implements Iterator<Supplier<ImportRow>>, Closeable {

	private final CountingStream in;

	private final Iterator<Supplier<ImportRow>> rows;

	private ImportFile(CountingStream in, Iterator<Supplier<ImportRow>> rows) {
		this.in = in;
		this.rows = rows;
	}

	/**
	 * @param delimiter CSV field separator, or null to detect comma or semicolon from the
	 * header
	 * @throws ImportFailure when the file is empty or its header is not understood
	 */
	static ImportFile open(Path file, ImportFormat format, @Nullable Character delimiter, CustomerAttributes attributes,
			JsonMapper json) throws IOException {
		CountingStream in = new CountingStream(Files.newInputStream(file));
		try {
			Reader reader = withoutByteOrderMark(new InputStreamReader(in, StandardCharsets.UTF_8));
			BufferedReader buffered = new BufferedReader(reader, 1 << 16);
			return new ImportFile(in,
					(format == ImportFormat.CSV) ? csvRows(buffered, delimiter, attributes) : jsonRows(buffered, json));
		}
		catch (IOException | RuntimeException ex) {
			in.close();
			throw ex;
		}
	}

	@Override
	public boolean hasNext() {
		return rows.hasNext();
	}

	@Override
	public Supplier<ImportRow> next() {
		return rows.next();
	}

	/**
	 * Bytes of the file read so far.
	 */
	long bytesRead() {
		return in.count();
	}

	@Override
	public void close() throws IOException {
		in.close();
	}

	private static Iterator<Supplier<ImportRow>> csvRows(BufferedReader buffered, @Nullable Character delimiter,
			CustomerAttributes attributes) throws IOException {
		buffered.mark(1 << 16);
		String firstLine = buffered.readLine();
		buffered.reset();
		if (firstLine == null) {
			throw new ImportFailure("the file is empty");
		}
		char separator = (delimiter != null) ? delimiter : (count(firstLine, ';') > count(firstLine, ',')) ? ';' : ',';
		CSVParser parser = CSVFormat.RFC4180.builder()
			.setDelimiter(separator)
			.setHeader()
			.setSkipHeaderRecord(true)
			.setAllowMissingColumnNames(false)
			.setIgnoreEmptyLines(true)
			.get()
			.parse(buffered);
		List<String> header = parser.getHeaderNames();
		ImportRow.CsvLayout layout;
		try {
			layout = ImportRow.CsvLayout.of(header, attributes);
		}
		catch (IllegalArgumentException ex) {
			throw new ImportFailure(ex.getMessage());
		}
		Iterator<CSVRecord> records = parser.iterator();
		CSVFormat rawFormat = CSVFormat.RFC4180.builder().setDelimiter(separator).setRecordSeparator("").get();
		return new Iterator<>() {

			private long number;

			@Override
			public boolean hasNext() {
				try {
					return records.hasNext();
				}
				catch (UncheckedIOException ex) {
					throw new ImportFailure("row " + (number + 1)
							+ " cannot be read, the file stops making sense there: " + ex.getCause().getMessage());
				}
			}

			@Override
			public Supplier<ImportRow> next() {
				CSVRecord record;
				try {
					record = records.next();
				}
				catch (UncheckedIOException ex) {
					throw new ImportFailure("row " + (number + 1) + " cannot be read: " + ex.getCause().getMessage());
				}
				long row = ++number;
				return () -> ImportRow.csv(row, () -> rawFormat.format(record.values()), record, header.size(), layout);
			}

		};
	}

	private static Iterator<Supplier<ImportRow>> jsonRows(BufferedReader reader, JsonMapper json) {
		Iterator<String> lines = reader.lines().filter((line) -> !line.isBlank()).iterator();
		return new Iterator<>() {

			private long number;

			@Override
			public boolean hasNext() {
				return lines.hasNext();
			}

			@Override
			public Supplier<ImportRow> next() {
				long row = ++number;
				String line = lines.next();
				return () -> ImportRow.jsonLine(row, line, json);
			}

		};
	}

	private static int count(String text, char c) {
		return (int) text.chars().filter((ch) -> ch == c).count();
	}

	private static Reader withoutByteOrderMark(Reader reader) throws IOException {
		PushbackReader pushback = new PushbackReader(reader, 1);
		int first = pushback.read();
		if (first != -1 && first != '\uFEFF') {
			pushback.unread(first);
		}
		return pushback;
	}

	/**
	 * The whole import cannot go on: the header is not understood or the file is
	 * unreadable.
	 */
	static final class ImportFailure extends RuntimeException {

		ImportFailure(String message) {
			super(message);
		}

	}

	private static final class CountingStream extends FilterInputStream {

		// read by the thread reporting progress
		private volatile long count;

		CountingStream(InputStream in) {
			super(in);
		}

		@Override
		public int read() throws IOException {
			int b = super.read();
			if (b != -1) {
				count++;
			}
			return b;
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			int n = super.read(buffer, offset, length);
			if (n > 0) {
				count += n;
			}
			return n;
		}

		long count() {
			return count;
		}

	}

}
