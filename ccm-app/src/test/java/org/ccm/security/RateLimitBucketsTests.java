package org.ccm.security;

import javax.sql.DataSource;

import org.ccm.core.testing.EmbeddedPostgresServer;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two replicas of the platform, each with its own {@link RateLimitBuckets} over one
 * PostgreSQL database: a caller gets its limit once across both.
 */
class RateLimitBucketsTests {

	static DataSource database;

	@BeforeAll
	static void migrate() {
		database = new DriverManagerDataSource(EmbeddedPostgresServer.newDatabase(), "postgres", "postgres");
		Flyway.configure().dataSource(database).locations("classpath:db/migration/app").load().migrate();
	}

	@Test
	void replicasDrawFromTheSameBucket() {
		RateLimitBuckets first = new RateLimitBuckets(database);
		RateLimitBuckets second = new RateLimitBuckets(database);

		assertThat(first.take("api-key", "k1", 3).isConsumed()).isTrue();
		assertThat(first.take("api-key", "k1", 3).isConsumed()).isTrue();
		assertThat(second.take("api-key", "k1", 3).isConsumed()).isTrue();

		var refused = second.take("api-key", "k1", 3);
		assertThat(refused.isConsumed()).as("the other replica's takes count").isFalse();
		assertThat(refused.getNanosToWaitForRefill()).isPositive();
		assertThat(first.take("api-key", "k1", 3).isConsumed()).isFalse();
	}

	@Test
	void largeLimitsAreSharedWithinTheirUnsynchronisedShare() {
		RateLimitBuckets first = new RateLimitBuckets(database);
		RateLimitBuckets second = new RateLimitBuckets(database);
		long limit = 1000;
		int consumed = 0;
		for (int i = 0; i < 1500; i++) {
			consumed += first.take("api-key", "busy", limit).isConsumed() ? 1 : 0;
			consumed += second.take("api-key", "busy", limit).isConsumed() ? 1 : 0;
		}
		long share = limit * RateLimitBuckets.UNSYNCHRONIZED_SHARE_PERCENT / 100;
		assertThat(consumed).as("both replicas together get the limit, overrun by at most their local share")
			.isBetween((int) limit, (int) (limit + 2 * share));
		long remaining = JdbcClient.create(database)
			.sql("SELECT count(*) FROM rate_limit_bucket WHERE id = 'api-key:busy'")
			.query(Long.class)
			.single();
		assertThat(remaining).as("the shared bucket exists in PostgreSQL").isOne();
	}

	@Test
	void aLargeLimitsBucketSweptWhileHeldLocallyIsStartedAfresh() throws Exception {
		RateLimitBuckets buckets = new RateLimitBuckets(database);
		assertThat(takeConcurrently(buckets, "swept", 8, 50)).isEqualTo(400);
		JdbcClient.create(database).sql("DELETE FROM rate_limit_bucket WHERE id = 'api-key:swept'").update();
		Thread.sleep(600);
		assertThat(takeConcurrently(buckets, "swept", 8, 50)).as("every request checked and let through")
			.isEqualTo(400);
	}

	private static int takeConcurrently(RateLimitBuckets buckets, String caller, int threads, int each)
			throws Exception {
		java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
		try {
			java.util.List<java.util.concurrent.Future<Integer>> results = new java.util.ArrayList<>();
			for (int t = 0; t < threads; t++) {
				results.add(pool.submit(() -> {
					int consumed = 0;
					for (int i = 0; i < each; i++) {
						consumed += buckets.take("api-key", caller, 100_000).isConsumed() ? 1 : 0;
					}
					return consumed;
				}));
			}
			int consumed = 0;
			for (java.util.concurrent.Future<Integer> result : results) {
				consumed += result.get();
			}
			return consumed;
		}
		finally {
			pool.shutdown();
		}
	}

	@Test
	void limitsAndCallersHaveBucketsOfTheirOwn() {
		RateLimitBuckets buckets = new RateLimitBuckets(database);
		assertThat(buckets.take("public", "203.0.113.7", 1).isConsumed()).isTrue();
		assertThat(buckets.take("public", "203.0.113.7", 1).isConsumed()).isFalse();
		assertThat(buckets.take("sign-in", "203.0.113.7", 1).isConsumed()).isTrue();
		assertThat(buckets.take("public", "203.0.113.8", 1).isConsumed()).isTrue();
	}

	@Test
	void expiredBucketsAreRemoved() {
		RateLimitBuckets buckets = new RateLimitBuckets(database);
		buckets.take("public", "198.51.100.77", 10);
		JdbcClient jdbc = JdbcClient.create(database);
		jdbc.sql("UPDATE rate_limit_bucket SET expires_at = 0 WHERE id = 'public:198.51.100.77'").update();
		buckets.removeExpired();
		assertThat(jdbc.sql("SELECT count(*) FROM rate_limit_bucket WHERE id = 'public:198.51.100.77'")
			.query(Long.class)
			.single()).isZero();
	}

}
