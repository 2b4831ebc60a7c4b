package org.ccm.campaigns;

import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.ccm.core.Channel;
import org.ccm.core.Purpose;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.core.KafkaTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hand-over rate follows the throttle: overall and per channel. A behaviour check
 * over a few seconds, not a benchmark.
 */
class CampaignThrottleTests extends CampaignIntegrationTest {

	@Autowired
	KafkaTemplate<String, String> kafka;

	@Autowired
	CampaignsProperties properties;

	@Test
	void theOverallRateIsHonoured() {
		assertThat(measuredRate(request(this.fixtures.audience(100).segment(), this.fixtures.template(), 25), 25))
			.isBetween(22.5, 27.5);
	}

	@Test
	void theChannelRateIsHonouredBelowTheOverallOne() {
		CampaignRequest request = request(this.fixtures.audience(100).segment(), this.fixtures.template(), 500);
		request = new CampaignRequest(request.name(), request.segment(), request.template(), Purpose.MARKETING,
				request.data(), request.schedule(), new CampaignRequest.Throttle(500, Map.of(Channel.EMAIL, 20)), null,
				null, null);
		assertThat(measuredRate(request, 20)).isBetween(18.0, 22.0);
	}

	/**
	 * Recipients per second handed over, not counting the bucket's initial burst (one
	 * second's tokens): n recipients take (n - burst) / rate seconds.
	 */
	double measuredRate(CampaignRequest request, int burst) {
		// the producer's first connection to the broker is not part of the rate
		this.kafka
			.send(this.properties.topic(), UUID.randomUUID().toString(),
					"{\"campaignId\": \"" + UUID.randomUUID() + "\", \"step\": 1, \"seq\": 1, \"customerId\": \""
							+ UUID.randomUUID() + "\"}")
			.join();
		UUID id = this.campaigns.create(request, "test").id();
		this.campaigns.launch(id);
		finished(id);
		List<Timestamp> queued = this.jdbc
			.sql("SELECT queued_at FROM campaign_recipient WHERE campaign_id = ? ORDER BY queued_at")
			.param(id)
			.query(Timestamp.class)
			.list();
		double seconds = (queued.get(queued.size() - 1).getTime() - queued.get(0).getTime()) / 1000.0;
		return (queued.size() - burst) / seconds;
	}

}
