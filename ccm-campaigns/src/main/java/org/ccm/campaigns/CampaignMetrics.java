package org.ccm.campaigns;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Campaign meters: {@code ccm.campaigns.recipients} (gauge, recipients of each active
 * campaign per status, tags {@code campaign} and {@code status}),
 * {@code ccm.campaigns.handed.over} and {@code ccm.campaigns.accepted} (counters,
 * recipients handed to Kafka and accepted by delivery on this replica).
 */
@Component
class CampaignMetrics {

	private final MultiGauge recipients;

	private final Counter handedOver;

	private final Counter accepted;

	CampaignMetrics(ObjectProvider<MeterRegistry> registries) {
		MeterRegistry registry = registries.getIfAvailable(SimpleMeterRegistry::new);
		this.recipients = MultiGauge.builder("ccm.campaigns.recipients")
			.description("Recipients of each active campaign per status")
			.register(registry);
		this.handedOver = Counter.builder("ccm.campaigns.handed.over")
			.description("Campaign recipients handed to Kafka")
			.register(registry);
		this.accepted = Counter.builder("ccm.campaigns.accepted")
			.description("Campaign recipients accepted by delivery")
			.register(registry);
	}

	void handedOver(int count) {
		this.handedOver.increment(count);
	}

	void accepted() {
		this.accepted.increment();
	}

	void update(List<Recipients.StatusCount> counts) {
		// the counts come per channel too: one row per campaign and status
		Map<Tags, Long> byStatus = counts.stream()
			.collect(Collectors.toMap(
					(count) -> Tags.of("campaign", count.campaignId().toString(), "status", count.status().name()),
					Recipients.StatusCount::count, Long::sum, LinkedHashMap::new));
		this.recipients.register(
				byStatus.entrySet().stream().map((row) -> MultiGauge.Row.of(row.getKey(), row.getValue())).toList(),
				true);
	}

}
