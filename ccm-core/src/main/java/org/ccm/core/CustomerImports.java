package org.ccm.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.apache.commons.csv.CSVFormat;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.apache.commons.csv.CSVPrinter;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import tools.jackson.databind.json.JsonMapper;

/**
 * Bulk imports of customers. The uploaded file is read as a stream, a batch of rows at a
 * time: batches are read into customer details and validated on several threads, then
 * written in file order, each in its own transaction, through the same change calculation
 * as a single upsert ({@link CustomerChange}) and a few set-based statements
 * ({@link CustomerTable.Staging}). A row that fails validation (or repeats an external id
 * already seen in the same file) is rejected with its reason and the rest goes on; a row
 * is either fully written or not at all.
 */
@Service
public class CustomerImports implements DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(CustomerImports.class);

	private final JdbcClient jdbc;

	private final JsonMapper json;

	private final CustomerAttributes attributes;

	private final CustomerValidation validation;

	private final CustomerTable table;

	private final Timeline timeline;

	private final TransactionTemplate transactions;

	private final CoreProperties properties;

	// not a bean: a TaskExecutor bean would replace Boot's application task executor
	private final ThreadPoolTaskExecutor executor;

	// shared by the running imports: reading rows into customer details is CPU-bound
	private final ExecutorService parsers;

	private final Clock clock;

	// the jobs this instance holds, queued or running: it keeps their heartbeat going
	private final Set<UUID> held = ConcurrentHashMap.newKeySet();

	CustomerImports(JdbcClient jdbc, JsonMapper json, CustomerAttributes attributes, CustomerValidation validation,
			CustomerTable table, Timeline timeline, PlatformTransactionManager transactionManager,
			CoreProperties properties, Clock clock) {
		this.clock = clock;
		this.jdbc = jdbc;
		this.json = json;
		this.attributes = attributes;
		this.validation = validation;
		this.table = table;
		this.timeline = timeline;
		this.transactions = new TransactionTemplate(transactionManager);
		this.properties = properties;
		this.executor = new ThreadPoolTaskExecutor();
		this.executor.setCorePoolSize(properties.imports().threads());
		this.executor.setMaxPoolSize(properties.imports().threads());
		this.executor.setThreadNamePrefix("customer-import-");
		this.executor.setWaitForTasksToCompleteOnShutdown(false);
		this.executor.initialize();
		AtomicInteger parserNumber = new AtomicInteger();
		this.parsers = Executors.newFixedThreadPool(properties.imports().parseThreads(), (task) -> {
			Thread thread = new Thread(task, "customer-import-parser-" + parserNumber.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
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
				INSERT INTO import_job (id, format, status, submitted_by, created_at, bytes_total, heartbeat_at)
				VALUES (?, ?, 'QUEUED', ?, ?, ?, ?)
				""")
			.params(id, format.name(), actor, Timestamps.utc(Instant.now(this.clock)), size,
					Timestamps.utc(Instant.now(this.clock)))
			.update();
		held.add(id);
		executor.execute(() -> {
			try {
				run(id, file, format, delimiter, actor);
			}
			finally {
				held.remove(id);
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
				""").param(id).query(CustomerImports::job).optional();
	}

	/**
	 * Imports queued or running now, oldest first.
	 */
	public List<ImportJob> running() {
		return jdbc.sql("""
				SELECT id, format, status, processed, accepted, rejected, bytes_read, bytes_total, failure, created_at,
				  finished_at FROM import_job WHERE status IN ('QUEUED', 'RUNNING') ORDER BY created_at
				""").query(CustomerImports::job).list();
	}

	private static ImportJob job(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
		long total = rs.getLong(8);
		ImportJob.Status status = ImportJob.Status.valueOf(rs.getString(3));
		double progress = (status == ImportJob.Status.COMPLETED) ? 1.0
				: (total > 0) ? Math.min(1.0, (double) rs.getLong(7) / total) : 0.0;
		java.time.OffsetDateTime finished = rs.getObject(11, java.time.OffsetDateTime.class);
		return new ImportJob(rs.getObject(1, UUID.class), ImportFormat.valueOf(rs.getString(2)), status, rs.getLong(4),
				rs.getLong(5), rs.getLong(6), progress, rs.getString(9), Timestamps.instant(rs, 10),
				(finished != null) ? finished.toInstant() : null);
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

	/**
	 * Keeps the heartbeat of the imports this instance holds; every instance beats for
	 * its own.
	 */
	@Scheduled(fixedDelayString = "${ccm.core.imports.heartbeat-interval:30s}")
	void beat() {
		if (!held.isEmpty()) {
			jdbc.sql("UPDATE import_job SET heartbeat_at = ? WHERE id = ANY(?)")
				.params(Timestamps.utc(Instant.now(this.clock)), held.toArray(UUID[]::new))
				.update();
		}
	}

	/**
	 * Fails the imports left queued or running by an instance that stopped (no heartbeat
	 * for {@code ccm.core.imports.stale-after}) and drops their staging tables. The file
	 * went with that instance, so the import cannot resume: the job says to send it
	 * again. What its finished batches wrote stays written, as after any failed import.
	 * Runs soon after start-up and then every minute, on one instance at a time.
	 * @return the jobs failed
	 */
	@Scheduled(initialDelayString = "${ccm.core.imports.sweep-initial-delay:20s}",
			fixedDelayString = "${ccm.core.imports.sweep-interval:1m}")
	@SchedulerLock(name = "ccm-core-abandoned-imports")
	public List<UUID> failAbandoned() {
		Instant now = Instant.now(this.clock);
		List<UUID> abandoned = jdbc.sql("""
				UPDATE import_job SET status = 'FAILED', finished_at = ?,
				       failure = 'the instance running the import stopped before it finished; send the file again'
				 WHERE status IN ('QUEUED', 'RUNNING') AND COALESCE(heartbeat_at, created_at) < ?
				RETURNING id""")
			.params(Timestamps.utc(now), Timestamps.utc(now.minus(properties.imports().staleAfter())))
			.query(UUID.class)
			.list();
		for (UUID job : abandoned) {
			log.warn("Import {} was abandoned by a stopped instance; marked failed", job);
			table.dropStaging(job);
		}
		return abandoned;
	}

	@Override
	public void destroy() {
		executor.shutdown();
		parsers.shutdownNow();
	}

	// ------------------------------------------------------------------ the run

	private void run(UUID job, Path file, ImportFormat format, @Nullable Character delimiter, String actor) {
		jdbc.sql("UPDATE import_job SET status = 'RUNNING', heartbeat_at = ? WHERE id = ?")
			.params(Timestamps.utc(Instant.now(this.clock)), job)
			.update();
		Counts counts = new Counts();
		// reading overlaps with parsing (several threads) and writing; one writer keeps
		// the batches in file order
		ExecutorService writer = Executors
			.newSingleThreadExecutor((task) -> new Thread(task, "customer-import-writer"));
		Deque<Future<?>> pending = new ArrayDeque<>();
		CustomerTable.Staging staging = null;
		try (ImportFile rows = ImportFile.open(file, format, delimiter, attributes, json)) {
			staging = table.staging(job);
			int batchSize = properties.imports().batchSize();
			List<Supplier<ImportRow>> batch = new ArrayList<>(batchSize);
			while (rows.hasNext()) {
				batch.add(rows.next());
				if (batch.size() == batchSize) {
					hand(writer, pending, job, staging, batch, actor, counts, rows.bytesRead());
					batch = new ArrayList<>(batchSize);
				}
			}
			hand(writer, pending, job, staging, batch, actor, counts, rows.bytesRead());
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
			String reason = (ex instanceof ImportFile.ImportFailure) ? ex.getMessage() : "the import stopped: "
					+ Objects.requireNonNullElse(ex.getMessage(), ex.getClass().getSimpleName());
			log.warn("Import {} failed", job, ex);
			jdbc.sql("UPDATE import_job SET status = 'FAILED', failure = ?, finished_at = ? WHERE id = ?")
				.params(reason, Timestamps.utc(Instant.now(this.clock)), job)
				.update();
		}
		finally {
			// a batch being written finishes before its staging table goes
			writer.shutdown();
			try {
				writer.awaitTermination(10, TimeUnit.MINUTES);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			if (staging != null) {
				staging.close();
			}
		}
	}

	private void hand(ExecutorService writer, Deque<Future<?>> pending, UUID job, CustomerTable.Staging staging,
			List<Supplier<ImportRow>> rows, String actor, Counts counts, long bytesRead) {
		if (rows.isEmpty()) {
			return;
		}
		Future<List<Checked>> prepared = parsers.submit(() -> prepare(rows));
		// a few batches in flight, enough to keep every parser busy: memory stays bounded
		// however large the file
		if (pending.size() > properties.imports().parseThreads()) {
			await(pending.removeFirst());
		}
		pending.addLast(writer.submit(() -> write(job, staging, await(prepared), actor, counts, bytesRead)));
	}

	private static <T> T await(Future<T> future) {
		try {
			return future.get();
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

	// ------------------------------------------------------------------ a batch

	/**
	 * A row of a batch: valid, or rejected with its reason.
	 *
	 * @param asNew the row as a new customer, rendered for the staging table while the
	 * batch is parsed; used unless the customer exists
	 */
	record Checked(ImportRow row, @Nullable ValidDetails valid, CustomerTable.@Nullable Staged asNew,
			@Nullable String rejection) {
	}

	record Rejection(ImportRow row, String reason) {
	}

	record Outcome(int accepted, List<Rejection> rejections) {
	}

	private List<Checked> prepare(List<Supplier<ImportRow>> rows) {
		List<Checked> checked = new ArrayList<>(rows.size());
		Set<String> seen = new HashSet<>(rows.size() * 2);
		for (Supplier<ImportRow> unparsed : rows) {
			ImportRow row = unparsed.get();
			Map<String, String> problems = new LinkedHashMap<>(row.problems());
			if (row.externalId() == null && !problems.containsKey("row")) {
				problems.put("externalId", "is required");
			}
			ValidDetails valid = null;
			if (problems.isEmpty()) {
				valid = validation.validate(row.externalId(), row.details(), problems);
			}
			if (!problems.isEmpty()) {
				checked.add(new Checked(row, null, null, reason(problems)));
			}
			else if (!seen.add(row.externalId())) {
				checked.add(new Checked(row, null, null, "externalId: appears earlier in the file"));
			}
			else {
				CustomerChange create = CustomerChange.create(TimeOrderedUuid.next(), row.externalId(), valid);
				checked.add(new Checked(row, valid, table.stage(create), null));
			}
		}
		return checked;
	}

	private static String reason(Map<String, String> problems) {
		List<String> parts = new ArrayList<>();
		problems.forEach((field, message) -> parts.add(field + ": " + message));
		return String.join("; ", parts);
	}

	/**
	 * Writes a batch in one transaction; when the database refuses it, each row is
	 * retried on its own so one bad row cannot sink the others.
	 */
	private void write(UUID job, CustomerTable.Staging staging, List<Checked> batch, String actor, Counts counts,
			long bytesRead) {
		try {
			transactions.executeWithoutResult((status) -> {
				Outcome outcome = writeRows(job, staging, batch, actor);
				progress(job, counts, batch.size(), outcome, bytesRead);
			});
		}
		catch (DataAccessException ex) {
			log.debug("Batch of import {} refused, retrying row by row", job, ex);
			for (Checked row : batch) {
				try {
					transactions.executeWithoutResult((status) -> {
						Outcome outcome = writeRows(job, staging, List.of(row), actor);
						progress(job, counts, 1, outcome, bytesRead);
					});
				}
				catch (DataAccessException rowFailure) {
					transactions.executeWithoutResult((status) -> {
						Outcome outcome = new Outcome(0,
								List.of(new Rejection(row.row(), "could not be stored: " + Objects.requireNonNullElse(
										rowFailure.getMostSpecificCause().getMessage(), "database error"))));
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

	private Outcome writeRows(UUID job, CustomerTable.Staging staging, List<Checked> batch, String actor) {
		Instant now = Instant.now(this.clock);
		List<Rejection> rejections = new ArrayList<>();
		Set<String> externalIds = new HashSet<>();
		Set<String> withConsents = new HashSet<>();
		for (Checked checked : batch) {
			if (checked.valid() != null) {
				externalIds.add(checked.row().externalId());
				if (!checked.valid().consents().isEmpty()) {
					withConsents.add(checked.row().externalId());
				}
			}
		}
		Map<String, CustomerTable.Locked> existing = table.lock(externalIds, withConsents);
		List<CustomerTable.Staged> changes = new ArrayList<>(externalIds.size());
		List<CustomerTable.Staged> created = new ArrayList<>(externalIds.size());
		List<CustomerTable.Staged> updated = new ArrayList<>();
		Map<String, ImportRow> createdRows = new HashMap<>();
		for (Checked checked : batch) {
			ImportRow row = checked.row();
			ValidDetails valid = checked.valid();
			if (valid == null) {
				rejections.add(new Rejection(row, Objects.requireNonNull(checked.rejection())));
				continue;
			}
			CustomerTable.Locked current = existing.get(row.externalId());
			CustomerTable.Staged change;
			if (current == null) {
				change = Objects.requireNonNull(checked.asNew());
				created.add(change);
				createdRows.put(row.externalId(), row);
			}
			else if (job.equals(current.importJob())) {
				rejections.add(new Rejection(row, "externalId: appears earlier in the file"));
				continue;
			}
			else {
				change = table.stage(CustomerChange.update(current.profile(), valid, row.given()));
				updated.add(change);
			}
			changes.add(change);
		}
		// new customers go straight into their tables; only changes of existing ones need
		// the staging table's merge, unless someone else created one of the new ones
		Set<String> refused = table.copyNew(created, job, actor, now) ? staging.write(updated, actor, now)
				: staging.write(changes, actor, now);
		refused.forEach((externalId) -> rejections.add(new Rejection(createdRows.get(externalId),
				"externalId: created by someone else meanwhile; send the row again")));
		List<Interaction> interactions = new ArrayList<>();
		int accepted = 0;
		for (CustomerTable.Staged staged : changes) {
			CustomerChange change = staged.change();
			if (refused.contains(change.next().externalId())) {
				continue;
			}
			accepted++;
			if (change.changes()) {
				interactions.addAll(change.interactions(now));
			}
		}
		timeline.recordAll(interactions);
		reject(job, rejections);
		return new Outcome(accepted, rejections);
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

}
