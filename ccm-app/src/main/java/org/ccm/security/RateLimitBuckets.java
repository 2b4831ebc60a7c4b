package org.ccm.security;

import java.time.Duration;
import java.util.function.Supplier;

import javax.sql.DataSource;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.optimization.DelayParameters;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
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
 * <p>
 * A limit of a few hundred a minute or more is not checked against PostgreSQL on every
 * request: each replica takes up to {@value #UNSYNCHRONIZED_SHARE_PERCENT} % of the limit
 * (or what it took in the last {@code SYNCHRONIZE_AFTER}) locally before it writes them
 * to the shared bucket, so a caller at full speed costs one locked row update per batch
 * of requests instead of one per request. A replica can so overrun a limit by that share
 * at most. Small limits (sign-in, public endpoints of one address) are checked every
 * time.
 */
@Component
class RateLimitBuckets {

	private static final Logger log = LoggerFactory.getLogger(RateLimitBuckets.class);

	static final long UNSYNCHRONIZED_SHARE_PERCENT = 1;

	private static final Duration SYNCHRONIZE_AFTER = Duration.ofMillis(500);

	private final PostgreSQLSelectForUpdateBasedProxyManager<String> buckets;

	// the proxies keep the locally taken tokens between synchronisations
	private final Cache<String, BucketProxy> proxies = Caffeine.newBuilder()
		.maximumSize(10_000)
		.expireAfterAccess(Duration.ofMinutes(2))
		.build();

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
		// built only when the bucket's row is created or the proxy is first made
		Supplier<BucketConfiguration> configuration = () -> configuration(perMinute);
		String key = limit + ":" + caller;
		long unsynchronized = perMinute * UNSYNCHRONIZED_SHARE_PERCENT / 100;
		if (unsynchronized < 2) {
			return this.buckets.getProxy(key, configuration).tryConsumeAndReturnRemaining(1);
		}
		String proxyKey = key + "@" + perMinute;
		BucketProxy proxy = this.proxies.get(proxyKey,
				(ignored) -> this.buckets.builder()
					.withOptimization(Optimizations.delaying(new DelayParameters(unsynchronized, SYNCHRONIZE_AFTER)))
					.build(key, configuration));
		try {
			return proxy.tryConsumeAndReturnRemaining(1);
		}
		catch (RuntimeException ex) {
			// the shared row was swept while this replica held tokens of it: start afresh
			log.debug("Rate-limit bucket {} read again: {}", key, ex.toString());
			this.proxies.invalidate(proxyKey);
			return this.buckets.getProxy(key, configuration).tryConsumeAndReturnRemaining(1);
		}
	}

	private static BucketConfiguration configuration(long perMinute) {
		return BucketConfiguration.builder()
			.addLimit(
					Bandwidth.builder().capacity(perMinute).refillIntervally(perMinute, Duration.ofMinutes(1)).build())
			.build();
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
