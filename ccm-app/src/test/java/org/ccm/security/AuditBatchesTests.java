package org.ccm.security;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuditBatchesTests {

	static AuditLog.Entry entry(String action) {
		return new AuditLog.Entry("key", AuditLog.ActorType.API, action, "/api/v1/communications",
				AuditLog.Outcome.SUCCESS, null, null, null, null, null);
	}

	@Test
	void recordsOfConcurrentRequestsAreWrittenTogetherEachOnceAndBeforeTheirCallerReturns() throws Exception {
		Set<String> written = ConcurrentHashMap.newKeySet();
		List<Integer> sizes = Collections.synchronizedList(new ArrayList<>());
		AuditBatches batches = new AuditBatches((entries) -> {
			sleep(20);
			sizes.add(entries.size());
			entries.forEach((entry) -> assertThat(written.add(entry.action())).as("written once").isTrue());
		});
		int requests = 64;
		CountDownLatch start = new CountDownLatch(1);
		ExecutorService threads = Executors.newFixedThreadPool(16);
		List<Future<?>> done = new ArrayList<>();
		for (int i = 0; i < requests; i++) {
			String action = "POST " + i;
			done.add(threads.submit(() -> {
				start.await();
				batches.write(entry(action));
				assertThat(written).as("committed before the caller goes on").contains(action);
				return null;
			}));
		}
		start.countDown();
		for (Future<?> future : done) {
			future.get(30, TimeUnit.SECONDS);
		}
		threads.shutdown();
		assertThat(written).hasSize(requests);
		assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(requests);
		assertThat(sizes).as("fewer writes than records").hasSizeLessThan(requests);
	}

	@Test
	void aFailedWriteFailsEveryRequestOfItsBatchAndTheNextWriteStillHappens() throws Exception {
		List<String> written = Collections.synchronizedList(new ArrayList<>());
		CountDownLatch firstWriteStarted = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		AuditBatches batches = new AuditBatches((entries) -> {
			if (entries.get(0).action().equals("first")) {
				firstWriteStarted.countDown();
				await(release);
				throw new DataAccessResourceFailureException("the database is away");
			}
			if (entries.stream().anyMatch((entry) -> entry.action().startsWith("failing"))) {
				throw new DataAccessResourceFailureException("the database is away");
			}
			entries.forEach((entry) -> written.add(entry.action()));
		});
		ExecutorService threads = Executors.newFixedThreadPool(3);
		Future<?> first = threads.submit(() -> batches.write(entry("first")));
		firstWriteStarted.await(10, TimeUnit.SECONDS);
		// both wait behind the first write and go out together in the second
		Future<?> second = threads.submit(() -> batches.write(entry("failing 1")));
		Future<?> third = threads.submit(() -> batches.write(entry("failing 2")));
		Thread.sleep(200);
		release.countDown();
		assertThatThrownBy(() -> first.get(10, TimeUnit.SECONDS))
			.hasCauseInstanceOf(DataAccessResourceFailureException.class);
		assertThatThrownBy(() -> second.get(10, TimeUnit.SECONDS))
			.hasCauseInstanceOf(DataAccessResourceFailureException.class);
		assertThatThrownBy(() -> third.get(10, TimeUnit.SECONDS))
			.hasCauseInstanceOf(DataAccessResourceFailureException.class);
		threads.shutdown();

		batches.write(entry("later"));
		assertThat(written).containsExactly("later");
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
