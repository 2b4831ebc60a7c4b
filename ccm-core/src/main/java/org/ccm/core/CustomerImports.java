package org.ccm.core;

import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.ccm.core.ImportRow.Field;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import tools.jackson.databind.json.JsonMapper;

/**
 * Bulk imports of customers. The uploaded file is read as a stream, a batch of rows at a
 * time: each batch is validated, then written in a few set-based statements in its own
 * transaction. A row that fails validation (or repeats an external id already seen in the
 * same file) is rejected with its reason and the rest goes on; a row is either fully
 * written or not at all.
 */
@Service
public class CustomerImports implements DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(CustomerImports.class);

	private final JdbcClient jdbc;

	private final JsonMapper json;

	private final Customers customers;

	private final CustomerAttributes attributes;

	private final Timeline timeline;

	private final ApplicationEventPublisher events;

	private final TransactionTemplate transactions;

	private final CoreProperties properties;

	// not a bean: a TaskExecutor bean would replace Boot's application task executor
	private final ThreadPoolTaskExecutor executor;

	private final Clock clock;

	CustomerImports(JdbcClient jdbc, JsonMapper json, Customers customers, CustomerAttributes attributes,
			Timeline timeline, ApplicationEventPublisher events, PlatformTransactionManager transactionManager,
			CoreProperties properties, Clock clock) {
		this.clock = clock;
		this.jdbc = jdbc;
		this.json = json;
		this.customers = customers;
		this.attributes = attributes;
		this.timeline = timeline;
		this.events = events;
		this.transactions = new TransactionTemplate(transactionManager);
		this.properties = properties;
		this.executor = new ThreadPoolTaskExecutor();
		this.executor.setCorePoolSize(properties.imports().threads());
		this.executor.setMaxPoolSize(properties.imports().threads());
		this.executor.setThreadNamePrefix("customer-import-");
		this.executor.setWaitForTasksToCompleteOnShutdown(false);
		this.executor.initialize();
	}

	/**
	 * Starts importing the file in the background; the file is deleted when the import
	 * ends.
	 * @param delimiter CSV field separator, or null to detect comma or semicolon from the
	 * header
	 */
	public ImportJob submit(Path file, ImportFormat format, @Nullable Character delimiter, String actor) {
		UUID id = TimeOrderedUuid.next();
		long size;
		try {
			size = Files.size(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		jdbc.sql("""
				INSERT INTO import_job (id, format, status, submitted_by, created_at, bytes_total)
				VALUES (?, ?, 'QUEUED', ?, ?, ?)
				""").params(id, format.name(), actor, Timestamps.utc(Instant.now(this.clock)), size).update();
		executor.execute(() -> {
			try {
				run(id, file, format, delimiter, actor);
			}
			finally {
				try {
					Files.deleteIfExists(file);
				}
				catch (IOException ex) {
					log.warn("Could not delete import file {}", file, ex);
				}
			}
		});
		return find(id).orElseThrow();
	}

	public Optional<ImportJob> find(UUID id) {
		return jdbc.sql("""
				SELECT id, format, status, processed, accepted, rejected, bytes_read, bytes_total, failure, created_at,
				  finished_at FROM import_job WHERE id = ?
				""").param(id).query((rs, n) -> {
			long total = rs.getLong(8);
			ImportJob.Status status = ImportJob.Status.valueOf(rs.getString(3));
			double progress = (status == ImportJob.Status.COMPLETED) ? 1.0
					: (total > 0) ? Math.min(1.0, (double) rs.getLong(7) / total) : 0.0;
			java.time.OffsetDateTime finished = rs.getObject(11, java.time.OffsetDateTime.class);
			return new ImportJob(rs.getObject(1, UUID.class), ImportFormat.valueOf(rs.getString(2)), status,
					rs.getLong(4), rs.getLong(5), rs.getLong(6), progress, rs.getString(9), Timestamps.instant(rs, 10),
					(finished != null) ? finished.toInstant() : null);
		}).optional();
	}

	/**
	 * Writes the rejected rows as CSV ({@code row, externalId, reason, raw}), in file
	 * order.
	 */
	public void writeRejected(UUID jobId, Writer out) throws IOException {
		CSVPrinter printer = new CSVPrinter(out,
				CSVFormat.DEFAULT.builder()
					.setHeader("row", "externalId", "reason", "raw")
					.setRecordSeparator("\n")
					.get());
		IOException[] failure = new IOException[1];
		jdbc.sql(
				"SELECT row_number, external_id, reason, raw FROM import_rejection WHERE job_id = ? ORDER BY row_number")
			.param(jobId)
			.query((rs) -> {
				try {
					printer.printRecord(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4));
				}
				catch (IOException ex) {
					failure[0] = ex;
				}
			});
		if (failure[0] != null) {
			throw failure[0];
		}
		printer.flush();
	}

	@Override
	public void destroy() {
		executor.shutdown();
	}

	// ------------------------------------------------------------------ the run

	private void run(UUID job, Path file, ImportFormat format, @Nullable Character delimiter, String actor) {
		jdbc.sql("UPDATE import_job SET status = 'RUNNING' WHERE id = ?").param(job).update();
		Counts counts = new Counts();
		// reading and validating overlap with writing; one writer keeps the batches in
		// file order
		ExecutorService writer = Executors
			.newSingleThreadExecutor((task) -> new Thread(task, "customer-import-writer"));
		Deque<Future<?>> pending = new ArrayDeque<>();
		try (CountingStream in = new CountingStream(Files.newInputStream(file))) {
			Reader reader = withoutByteOrderMark(new InputStreamReader(in, StandardCharsets.UTF_8));
			Iterator<ImportRow> rows = (format == ImportFormat.CSV) ? csvRows(reader, delimiter)
					: jsonRows(new BufferedReader(reader, 1 << 16));
			int batchSize = properties.imports().batchSize();
			List<ImportRow> batch = new ArrayList<>(batchSize);
			while (rows.hasNext()) {
				batch.add(rows.next());
				if (batch.size() == batchSize) {
					hand(writer, pending, job, prepare(batch), actor, counts, in.count());
					batch = new ArrayList<>(batchSize);
				}
			}
			hand(writer, pending, job, prepare(batch), actor, counts, in.count());
			while (!pending.isEmpty()) {
				await(pending.removeFirst());
			}
			jdbc.sql(
					"UPDATE import_job SET status = 'COMPLETED', finished_at = ?, bytes_read = bytes_total WHERE id = ?")
				.params(Timestamps.utc(Instant.now(this.clock)), job)
				.update();
		}
		catch (RuntimeException | IOException ex) {
			pending.forEach((future) -> future.cancel(false));
			String reason = (ex instanceof ImportFailure) ? ex.getMessage() : "the import stopped: "
					+ Objects.requireNonNullElse(ex.getMessage(), ex.getClass().getSimpleName());
			log.warn("Import {} failed", job, ex);
			jdbc.sql("UPDATE import_job SET status = 'FAILED', failure = ?, finished_at = ? WHERE id = ?")
				.params(reason, Timestamps.utc(Instant.now(this.clock)), job)
				.update();
		}
		finally {
			writer.shutdown();
		}
	}

	private void hand(ExecutorService writer, Deque<Future<?>> pending, UUID job, Prepared batch, String actor,
			Counts counts, long bytesRead) {
		if (batch.size() == 0) {
			return;
		}
		// at most two batches wait for the writer: memory stays bounded however large the
		// file
		if (pending.size() >= 2) {
			await(pending.removeFirst());
		}
		pending.addLast(writer.submit(() -> write(job, batch, actor, counts, bytesRead)));
	}

	private static void await(Future<?> future) {
		try {
			future.get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted", ex);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw new IllegalStateException(ex.getCause());
		}
	}

	private Iterator<ImportRow> csvRows(Reader reader, @Nullable Character delimiter) throws IOException {
		BufferedReader buffered = new BufferedReader(reader, 1 << 16);
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
		AtomicLong number = new AtomicLong();
		return new Iterator<>() {

			@Override
			public boolean hasNext() {
				try {
					return records.hasNext();
				}
				catch (UncheckedIOException ex) {
					throw new ImportFailure("row " + (number.get() + 1)
							+ " cannot be read, the file stops making sense there: " + ex.getCause().getMessage());
				}
			}

			@Override
			public ImportRow next() {
				CSVRecord record;
				try {
					record = records.next();
				}
				catch (UncheckedIOException ex) {
					throw new ImportFailure(
							"row " + (number.get() + 1) + " cannot be read: " + ex.getCause().getMessage());
				}
				long row = number.incrementAndGet();
				return ImportRow.csv(row, () -> rawFormat.format(record.values()), record, header.size(), layout,
						attributes);
			}

		};
	}

	private Iterator<ImportRow> jsonRows(BufferedReader reader) {
		AtomicLong number = new AtomicLong();
		Iterator<String> lines = reader.lines().filter((line) -> !line.isBlank()).iterator();
		return new Iterator<>() {

			@Override
			public boolean hasNext() {
				return lines.hasNext();
			}

			@Override
			public ImportRow next() {
				return ImportRow.jsonLine(number.incrementAndGet(), lines.next(), json);
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

	// ------------------------------------------------------------------ writing a batch

	/**
	 * Writes a batch in one transaction; when the database refuses it, each row is
	 * retried on its own so one bad row cannot sink the others.
	 */
	private void write(UUID job, Prepared batch, String actor, Counts counts, long bytesRead) {
		try {
			transactions.executeWithoutResult((status) -> {
				Outcome outcome = writeRows(job, batch, actor);
				progress(job, counts, batch.size(), outcome, bytesRead);
			});
		}
		catch (DataAccessException ex) {
			log.debug("Batch of import {} refused, retrying row by row", job, ex);
			for (ImportRow row : batch.rows()) {
				try {
					transactions.executeWithoutResult((status) -> {
						Outcome outcome = writeRows(job, prepare(List.of(row)), actor);
						progress(job, counts, 1, outcome, bytesRead);
					});
				}
				catch (DataAccessException rowFailure) {
					transactions.executeWithoutResult((status) -> {
						Outcome outcome = new Outcome(0, List.of(new Rejection(row, "could not be stored: " + Objects
							.requireNonNullElse(rowFailure.getMostSpecificCause().getMessage(), "database error"))));
						reject(job, outcome.rejections());
						progress(job, counts, 1, outcome, bytesRead);
					});
				}
			}
		}
	}

	private void progress(UUID job, Counts counts, int rows, Outcome outcome, long bytesRead) {
		counts.processed += rows;
		counts.accepted += outcome.accepted();
		counts.rejected += outcome.rejections().size();
		jdbc.sql("UPDATE import_job SET processed = ?, accepted = ?, rejected = ?, bytes_read = ? WHERE id = ?")
			.params(counts.processed, counts.accepted, counts.rejected, bytesRead, job)
			.update();
	}

	record Rejection(ImportRow row, String reason) {
	}

	record Checked(ImportRow row, Customers.Valid valid) {
	}

	record Outcome(int accepted, List<Rejection> rejections) {
	}

	/**
	 * The final state of one customer as it will be stored.
	 */
	private record Next(UUID id, String externalId, boolean created, String name, String locale, String timeZone,
			@Nullable String email, @Nullable String emailState, @Nullable String phone, @Nullable String phoneState,
			@Nullable PostalAddress address, Map<String, Object> attributes, Map<Purpose, List<Channel>> preferences,
			@Nullable QuietHours quietHours, Set<String> changed, List<ConsentChange> consents) {
	}

	/**
	 * A batch read and validated, ready for the writer.
	 */
	/**
	 * A batch after validation: the rows to write with their checked values, in file
	 * order, and the rows already refused.
	 */
	record Prepared(List<ImportRow> rows, List<Rejection> rejections, List<Checked> valid) {

		int size() {
			return rows.size();
		}

	}

	private Prepared prepare(List<ImportRow> rows) {
		List<Rejection> rejections = new ArrayList<>();
		// a list, not a map keyed by the rows: hashing those records took a tenth of the
		// reader
		List<Checked> valid = new ArrayList<>(rows.size());
		Set<String> seen = new HashSet<>(rows.size() * 2);
		for (ImportRow row : rows) {
			Map<String, String> problems = new LinkedHashMap<>(row.problems());
			if (row.externalId() == null && !problems.containsKey("row")) {
				problems.put("externalId", "is required");
			}
			Customers.Valid checked = null;
			if (problems.isEmpty()) {
				checked = customers.validate(row.externalId(), row.details(), problems);
			}
			if (!problems.isEmpty()) {
				rejections.add(new Rejection(row, reason(problems)));
			}
			else if (!seen.add(row.externalId())) {
				rejections.add(new Rejection(row, "externalId: appears earlier in the file"));
			}
			else {
				valid.add(new Checked(row, checked));
			}
		}
		return new Prepared(rows, rejections, valid);
	}

	private Outcome writeRows(UUID job, Prepared batch, String actor) {
		Instant now = Instant.now(this.clock);
		List<Rejection> rejections = new ArrayList<>(batch.rejections());
		List<Checked> valid = batch.valid();
		Set<String> externalIds = new LinkedHashSet<>();
		valid.forEach((checked) -> externalIds.add(checked.row().externalId()));
		Map<String, Existing> existing = lock(externalIds);
		List<Next> inserts = new ArrayList<>();
		List<Next> updates = new ArrayList<>();
		for (Checked checked : valid) {
			ImportRow row = checked.row();
			Existing current = existing.get(row.externalId());
			if (current != null && job.equals(current.importJob())) {
				rejections.add(new Rejection(row, "externalId: appears earlier in the file"));
				continue;
			}
			Next next = merge(row, checked.valid(), (current != null) ? current.profile() : null);
			((current != null) ? updates : inserts).add(next);
		}
		Set<String> inserted = insert(job, inserts, now);
		List<Next> accepted = new ArrayList<>(updates);
		for (Next next : inserts) {
			if (inserted.contains(next.externalId())) {
				accepted.add(next);
			}
			else {
				ImportRow row = valid.stream()
					.map(Checked::row)
					.filter((r) -> next.externalId().equals(r.externalId()))
					.findFirst()
					.orElseThrow();
				rejections.add(new Rejection(row, "externalId: created by someone else meanwhile; send the row again"));
			}
		}
		update(job, updates, now);
		consents(accepted, existing, actor, now);
		audit(accepted, actor, now);
		reject(job, rejections);
		for (Next next : accepted) {
			if (next.created() || !next.changed().isEmpty()) {
				events.publishEvent(new CustomerUpdated(next.id(), next.externalId()));
			}
		}
		return new Outcome(accepted.size(), rejections);
	}

	private static String reason(Map<String, String> problems) {
		List<String> parts = new ArrayList<>();
		problems.forEach((field, message) -> parts.add(field + ": " + message));
		return String.join("; ", parts);
	}

	private record Existing(CustomerProfile profile, @Nullable UUID importJob) {
	}

	private Map<String, Existing> lock(Set<String> externalIds) {
		if (externalIds.isEmpty()) {
			return Map.of();
		}
		Map<String, Existing> found = new HashMap<>();
		jdbc.sql("SELECT " + Customers.COLUMNS + ", import_job FROM customer WHERE external_id = ANY(?) FOR UPDATE")
			.param(externalIds.toArray(String[]::new))
			.query((rs) -> {
				CustomerProfile profile = customers.profile(rs, 0);
				found.put(profile.externalId(), new Existing(profile, rs.getObject("import_job", UUID.class)));
			});
		return found;
	}

	private Next merge(ImportRow row, Customers.Valid valid, @Nullable CustomerProfile current) {
		Set<Field> present = row.present();
		if (current == null) {
			return new Next(TimeOrderedUuid.next(), row.externalId(), true, valid.name(),
					valid.locale().toLanguageTag(), valid.timeZone().getId(), valid.email(),
					(valid.email() != null) ? ContactState.UNVERIFIED.name() : null, valid.phone(),
					(valid.phone() != null) ? ContactState.UNVERIFIED.name() : null, valid.address(),
					valid.attributes(), valid.preferences(), valid.quietHours(),
					new LinkedHashSet<>(List.of("customer")), row.details().consents());
		}
		Set<String> changed = new LinkedHashSet<>();
		String name = valid.name();
		if (!name.equals(current.name())) {
			changed.add("name");
		}
		String locale = (present.contains(Field.LOCALE) && valid.localeGiven()) ? valid.locale().toLanguageTag()
				: current.locale().toLanguageTag();
		if (!locale.equals(current.locale().toLanguageTag())) {
			changed.add("locale");
		}
		String zone = (present.contains(Field.TIME_ZONE) && valid.timeZoneGiven()) ? valid.timeZone().getId()
				: current.timeZone().getId();
		if (!zone.equals(current.timeZone().getId())) {
			changed.add("timeZone");
		}
		String email = (current.email() != null) ? current.email().value() : null;
		String emailState = (current.email() != null) ? current.email().state().name() : null;
		if (present.contains(Field.EMAIL) && !Objects.equals(email, valid.email())) {
			email = valid.email();
			emailState = (email != null) ? ContactState.UNVERIFIED.name() : null;
			changed.add("email");
		}
		String phone = (current.phone() != null) ? current.phone().value() : null;
		String phoneState = (current.phone() != null) ? current.phone().state().name() : null;
		if (present.contains(Field.PHONE) && !Objects.equals(phone, valid.phone())) {
			phone = valid.phone();
			phoneState = (phone != null) ? ContactState.UNVERIFIED.name() : null;
			changed.add("phone");
		}
		PostalAddress address = current.postalAddress();
		if (present.contains(Field.ADDRESS) && !sameAddress(address, valid.address())) {
			address = valid.address();
			changed.add("postalAddress");
		}
		Map<String, Object> attributeValues = new LinkedHashMap<>(current.attributes());
		for (String name2 : row.attributeColumns()) {
			Object before = attributeValues.remove(name2);
			Object after = valid.attributes().get(name2);
			if (after != null) {
				attributeValues.put(name2, after);
			}
			if (!Objects.equals(Customers.normalised(before), Customers.normalised(after))) {
				changed.add("attributes." + name2);
			}
		}
		Map<Purpose, List<Channel>> preferences = current.channelPreferences();
		if (present.contains(Field.PREFERENCES) && !preferences.equals(valid.preferences())) {
			preferences = valid.preferences();
			changed.add("preferences");
		}
		QuietHours quietHours = current.quietHours();
		if (present.contains(Field.QUIET_HOURS) && !Objects.equals(quietHours, valid.quietHours())) {
			quietHours = valid.quietHours();
			changed.add("quietHours");
		}
		return new Next(current.id(), current.externalId(), false, name, locale, zone, email, emailState, phone,
				phoneState, address, attributeValues, preferences, quietHours, changed, row.details().consents());
	}

	private static boolean sameAddress(@Nullable PostalAddress a, @Nullable PostalAddress b) {
		if (a == null || b == null) {
			return a == b;
		}
		return a.lines().equals(b.lines()) && a.postcode().equals(b.postcode()) && a.city().equals(b.city())
				&& a.country().equals(b.country());
	}

	private static final String ROWS = """
			unnest(?::uuid[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
			  ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::jsonb[], ?::jsonb[], ?::time[], ?::time[])
			  AS u(id, external_id, name, locale, time_zone, email, email_state, phone, phone_state, lines, postcode,
			  city, country, address_state, attributes, preferences, quiet_start, quiet_end)
			""";

	private Set<String> insert(UUID job, List<Next> rows, Instant now) {
		if (rows.isEmpty()) {
			return Set.of();
		}
		Object[] arrays = arrays(rows);
		Object[] params = new Object[arrays.length + 3];
		params[0] = Timestamps.utc(now);
		params[1] = Timestamps.utc(now);
		params[2] = job;
		System.arraycopy(arrays, 0, params, 3, arrays.length);
		return new HashSet<>(jdbc
			.sql("""
					INSERT INTO customer (id, external_id, name, locale, time_zone, status, email, email_state, phone,
					  phone_state, address_lines, postcode, city, country, address_state, attributes, preferences,
					  quiet_start, quiet_end, created_at, updated_at, import_job)
					SELECT u.id, u.external_id, u.name, u.locale, u.time_zone, 'ACTIVE', u.email, u.email_state, u.phone,
					  u.phone_state, CASE WHEN u.country IS NULL THEN NULL ELSE string_to_array(u.lines, E'\\x1F') END,
					  u.postcode, u.city, u.country, u.address_state, u.attributes, u.preferences, u.quiet_start, u.quiet_end,
					  ?, ?, ?
					FROM\s"""
					+ ROWS + """
							ON CONFLICT (external_id) DO NOTHING
							RETURNING external_id
							""")
			.params(params)
			.query(String.class)
			.list());
	}

	private void update(UUID job, List<Next> rows, Instant now) {
		if (rows.isEmpty()) {
			return;
		}
		Object[] arrays = arrays(rows);
		String[] changed = rows.stream()
			.map((next) -> Boolean.toString(!next.changed().isEmpty()))
			.toArray(String[]::new);
		Object[] params = new Object[arrays.length + 4];
		params[0] = Timestamps.utc(now);
		params[1] = job;
		System.arraycopy(arrays, 0, params, 2, arrays.length);
		params[arrays.length + 2] = changed;
		params[arrays.length + 3] = rows.stream().map((next) -> next.id().toString()).toArray(String[]::new);
		jdbc.sql("""
				UPDATE customer c SET name = u.name, locale = u.locale, time_zone = u.time_zone, email = u.email,
				  email_state = u.email_state, phone = u.phone, phone_state = u.phone_state,
				  address_lines = CASE WHEN u.country IS NULL THEN NULL ELSE string_to_array(u.lines, E'\\x1F') END,
				  postcode = u.postcode, city = u.city, country = u.country, address_state = u.address_state,
				  attributes = u.attributes, preferences = u.preferences, quiet_start = u.quiet_start,
				  quiet_end = u.quiet_end, updated_at = CASE WHEN f.changed THEN ?::timestamptz ELSE c.updated_at END,
				  import_job = ?
				FROM\s""" + ROWS + """
				, unnest(?::boolean[], ?::uuid[]) AS f(changed, id)
				WHERE c.id = u.id AND f.id = u.id
				""").params(params).update();
	}

	private Object[] arrays(List<Next> rows) {
		int n = rows.size();
		String[][] columns = new String[18][n];
		for (int i = 0; i < n; i++) {
			Next row = rows.get(i);
			PostalAddress address = row.address();
			columns[0][i] = row.id().toString();
			columns[1][i] = row.externalId();
			columns[2][i] = row.name();
			columns[3][i] = row.locale();
			columns[4][i] = row.timeZone();
			columns[5][i] = row.email();
			columns[6][i] = row.emailState();
			columns[7][i] = row.phone();
			columns[8][i] = row.phoneState();
			// lines may hold newlines but never the unit separator (validation strips
			// control characters)
			columns[9][i] = (address != null) ? String.join("\u001F", address.lines()) : null;
			columns[10][i] = (address != null) ? address.postcode() : null;
			columns[11][i] = (address != null) ? address.city() : null;
			columns[12][i] = (address != null) ? address.country() : null;
			columns[13][i] = (address != null) ? address.state().name() : null;
			columns[14][i] = json.writeValueAsString(row.attributes());
			columns[15][i] = json.writeValueAsString(row.preferences());
			columns[16][i] = (row.quietHours() != null) ? row.quietHours().start().toString() : null;
			columns[17][i] = (row.quietHours() != null) ? row.quietHours().end().toString() : null;
		}
		return columns;
	}

	private void consents(List<Next> accepted, Map<String, Existing> existing, String actor, Instant now) {
		List<String[]> inserts = new ArrayList<>();
		List<Interaction> interactions = new ArrayList<>();
		for (Next next : accepted) {
			if (next.consents().isEmpty()) {
				continue;
			}
			Map<String, Boolean> state = new HashMap<>();
			Existing current = existing.get(next.externalId());
			if (current != null) {
				current.profile().consents().forEach((c) -> state.put(c.channel() + "." + c.purpose(), c.granted()));
			}
			for (ConsentChange change : next.consents()) {
				String key = change.channel() + "." + change.purpose();
				if (Objects.equals(state.put(key, change.granted()), change.granted())) {
					continue;
				}
				inserts.add(new String[] { next.id().toString(), change.channel().name(), change.purpose().name(),
						Boolean.toString(change.granted()), change.source() });
				next.changed().add("consent." + key);
				interactions.add(new Interaction(next.id(), InteractionType.CONSENT_CHANGED, change.channel(), null,
						null, now, Map.of("purpose", change.purpose().name(), "granted", change.granted(), "source",
								change.source())));
			}
		}
		if (inserts.isEmpty()) {
			return;
		}
		jdbc.sql("""
				INSERT INTO consent_event (customer_id, channel, purpose, granted, source, changed_by, recorded_at)
				SELECT u.customer_id, u.channel, u.purpose, u.granted, u.source, ?, ?
				FROM unnest(?::uuid[], ?::text[], ?::text[], ?::boolean[], ?::text[])
				  AS u(customer_id, channel, purpose, granted, source)
				""")
			.params(actor, Timestamps.utc(now), column(inserts, 0), column(inserts, 1), column(inserts, 2),
					column(inserts, 3), column(inserts, 4))
			.update();
		timeline.recordAll(interactions);
	}

	private static String[] column(List<String[]> rows, int index) {
		return rows.stream().map((row) -> row[index]).toArray(String[]::new);
	}

	private void audit(List<Next> accepted, String actor, Instant now) {
		List<String[]> rows = new ArrayList<>();
		for (Next next : accepted) {
			for (String field : next.changed()) {
				rows.add(new String[] { next.id().toString(), field, next.created() && field.equals("customer")
						? "CREATED" : field.startsWith("consent.") ? "IMPORTED" : "UPDATED" });
			}
		}
		if (rows.isEmpty()) {
			return;
		}
		jdbc.sql("""
				INSERT INTO customer_audit (customer_id, field, action, changed_by, changed_at)
				SELECT u.customer_id, u.field, u.action, ?, ? FROM unnest(?::uuid[], ?::text[], ?::text[])
				  AS u(customer_id, field, action)
				""").params(actor, Timestamps.utc(now), column(rows, 0), column(rows, 1), column(rows, 2)).update();
	}

	private void reject(UUID job, List<Rejection> rejections) {
		if (rejections.isEmpty()) {
			return;
		}
		jdbc.sql("""
				INSERT INTO import_rejection (job_id, row_number, external_id, reason, raw)
				SELECT ?, u.row_number, u.external_id, u.reason, u.raw
				FROM unnest(?::bigint[], ?::text[], ?::text[], ?::text[]) AS u(row_number, external_id, reason, raw)
				ON CONFLICT DO NOTHING
				""")
			.params(job, rejections.stream().map((r) -> Long.toString(r.row().number())).toArray(String[]::new),
					rejections.stream().map((r) -> r.row().externalId()).toArray(String[]::new),
					rejections.stream().map(Rejection::reason).toArray(String[]::new),
					rejections.stream().map((r) -> r.row().raw().get()).toArray(String[]::new))
			.update();
	}

	private static final class Counts {

		long processed;

		long accepted;

		long rejected;

	}

	/**
	 * The whole import cannot go on: the header is not understood or the file is
	 * unreadable.
	 */
	private static final class ImportFailure extends RuntimeException {

		ImportFailure(String message) {
			super(message);
		}

	}

	private static final class CountingStream extends FilterInputStream {

		private long count;

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
