package org.ccm.security;

import java.time.Duration;

import javax.sql.DataSource;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.postgresql.PostgreSQLSelectForUpdateBasedProxyManager;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The rate-limit buckets of every caller, kept in PostgreSQL (Bucket4j's proxy manager,
 * one row per bucket locked for each take) so that all replicas draw from the same
 * bucket: with N replicas a caller still gets its limit once, not N times. A bucket's row
 * expires once it would have refilled completely, and one replica deletes expired rows
 * every few minutes.
 */
@Component
class RateLimitBuckets {

	private static final Logger log = LoggerFactory.getLogger(RateLimitBuckets.class);

	private final PostgreSQLSelectForUpdateBasedProxyManager<String> buckets;

	RateLimitBuckets(DataSource dataSource) {
		this.buckets = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
			.primaryKeyMapper(PrimaryKeyMapper.STRING)
			.table("rate_limit_bucket")
			.idColumn("id")
			.stateColumn("state")
			.expiresAtColumn("expires_at")
			.expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ZERO))
			.build();
	}

	/**
	 * Takes one token from the bucket of {@code caller} under the limit {@code limit}
	 * ({@code perMinute} requests a minute, refilled each minute).
	 */
	ConsumptionProbe take(String limit, String caller, long perMinute) {
		BucketConfiguration configuration = BucketConfiguration.builder()
			.addLimit(
					Bandwidth.builder().capacity(perMinute).refillIntervally(perMinute, Duration.ofMinutes(1)).build())
			.build();
		return this.buckets.getProxy(limit + ":" + caller, () -> configuration).tryConsumeAndReturnRemaining(1);
	}

	@Scheduled(fixedDelayString = "${ccm.security.rate-limits.cleanup-interval:5m}")
	@SchedulerLock(name = "ccm-security-rate-limit-cleanup")
	void removeExpired() {
		int removed;
		int total = 0;
		do {
			removed = this.buckets.removeExpired(1000);
			total += removed;
		}
		while (removed == 1000);
		if (total > 0) {
			log.debug("Removed {} expired rate-limit buckets", total);
		}
	}

}
