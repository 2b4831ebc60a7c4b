package org.ccm.campaigns;

import java.time.Duration;

import javax.sql.DataSource;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import org.springframework.stereotype.Component;

/**
 * Token buckets per campaign and per campaign and channel, kept in PostgreSQL (Bucket4j's
 * proxy manager, one row per bucket locked for each take) so that every replica draws
 * from the same buckets. A bucket holds one second's tokens, so a slow fan-out round (a
 * loaded database, a slow broker acknowledgement) loses none and the rate holds; a
 * resumed campaign may start with at most one second's burst.
 */
@Component
class Throttles {

	private final ProxyManager<String> buckets;

	Throttles(DataSource dataSource) {
		this.buckets = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
			.primaryKeyMapper(PrimaryKeyMapper.STRING)
			.table("campaign_bucket")
			.idColumn("id")
			.stateColumn("state")
			.build();
	}

	Bucket overall(Campaign campaign) {
		return bucket(campaign.id().toString(), campaign.definition().throttle().perSecond());
	}

	Bucket channel(Campaign campaign, String channel, int perSecond) {
		return bucket(campaign.id() + ":" + channel, perSecond);
	}

	private Bucket bucket(String key, int perSecond) {
		BucketConfiguration configuration = BucketConfiguration.builder()
			.addLimit(Bandwidth.builder().capacity(perSecond).refillGreedy(perSecond, Duration.ofSeconds(1)).build())
			.build();
		return this.buckets.getProxy(key, () -> configuration);
	}

}
