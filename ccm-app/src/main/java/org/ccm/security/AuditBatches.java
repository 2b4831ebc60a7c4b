package org.ccm.security;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * Group commit for the records of answered requests: the records that arrive while one
 * write is under way are written together by the next, as one statement and one commit,
 * by the first of their own request threads. Under load a request so waits for a shared
 * commit instead of a connection and a commit of its own, and the pool keeps its
 * connections for the work itself. Each caller still returns only once its own record is
 * committed (or throws what the write threw), so no answered change goes out unaudited.
 */
final class AuditBatches {

	/** Keeps one statement well below PostgreSQL's limit of bind parameters. */
	static final int MAX_BATCH = 500;

	private final Consumer<List<AuditLog.Entry>> writer;

	private final ReentrantLock lock = new ReentrantLock();

	private List<Waiting> next = new ArrayList<>();

	private boolean writing;

	/**
	 * @param writer writes and commits the entries it is given, all or none
	 */
	AuditBatches(Consumer<List<AuditLog.Entry>> writer) {
		this.writer = writer;
	}

	/**
	 * Writes the entry with whatever else is waiting, and returns once it is committed.
	 */
	void write(AuditLog.Entry entry) {
		Waiting mine = new Waiting(entry);
		List<Waiting> batch = null;
		this.lock.lock();
		try {
			this.next.add(mine);
			if (!this.writing) {
				this.writing = true;
				batch = take();
			}
		}
		finally {
			this.lock.unlock();
		}
		if (batch == null) {
			// written by another request's thread, or handed this batch to write
			batch = mine.await();
			if (batch == null) {
				return;
			}
		}
		Throwable failure = null;
		try {
			this.writer.accept(batch.stream().map(Waiting::entry).toList());
		}
		catch (RuntimeException | Error ex) {
			failure = ex;
		}
		for (Waiting waiting : batch) {
			if (waiting != mine) {
				if (failure != null) {
					waiting.done.completeExceptionally(failure);
				}
				else {
					waiting.done.complete(null);
				}
			}
		}
		handOver();
		if (failure instanceof RuntimeException runtime) {
			throw runtime;
		}
		if (failure instanceof Error error) {
			throw error;
		}
	}

	/** The next batch goes to the first of its threads to write; none waiting: idle. */
	private void handOver() {
		List<Waiting> batch;
		this.lock.lock();
		try {
			if (this.next.isEmpty()) {
				this.writing = false;
				return;
			}
			batch = take();
		}
		finally {
			this.lock.unlock();
		}
		batch.get(0).done.complete(batch);
	}

	private List<Waiting> take() {
		if (this.next.size() <= MAX_BATCH) {
			List<Waiting> batch = this.next;
			this.next = new ArrayList<>();
			return batch;
		}
		List<Waiting> batch = new ArrayList<>(this.next.subList(0, MAX_BATCH));
		this.next = new ArrayList<>(this.next.subList(MAX_BATCH, this.next.size()));
		return batch;
	}

	private record Waiting(AuditLog.Entry entry, CompletableFuture<@Nullable List<Waiting>> done) {

		Waiting(AuditLog.Entry entry) {
			this(entry, new CompletableFuture<>());
		}

		/**
		 * Null once written; a batch when this thread is to write it. Not interruptible:
		 * a batch handed over must be written, or its other requests would wait for ever.
		 */
		@Nullable List<Waiting> await() {
			boolean interrupted = false;
			try {
				while (true) {
					try {
						return this.done.get();
					}
					catch (InterruptedException ex) {
						interrupted = true;
					}
					catch (ExecutionException ex) {
						if (ex.getCause() instanceof RuntimeException runtime) {
							throw runtime;
						}
						if (ex.getCause() instanceof Error error) {
							throw error;
						}
						throw new IllegalStateException(ex.getCause());
					}
				}
			}
			finally {
				if (interrupted) {
					Thread.currentThread().interrupt();
				}
			}
		}

	}

}
