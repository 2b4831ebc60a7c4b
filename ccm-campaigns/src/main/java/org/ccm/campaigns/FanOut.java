package org.ccm.campaigns;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.github.bucket4j.Bucket;
import org.ccm.core.Channel;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import tools.jackson.databind.json.JsonMapper;

/**
 * Hands pending recipients of running campaigns to Kafka, a page at a time, as fast as
 * the token buckets allow. Runs on every replica without a lock: each page is taken with
 * {@code FOR UPDATE SKIP LOCKED} and the buckets are shared, so replicas split the work
 * and never exceed the rate together. A page is marked {@code QUEUED} only if the broker
 * acknowledged every record; otherwise the transaction rolls back and the page is taken
 * again.
 */
@Component
class FanOut {

	private final JdbcClient jdbc;

	private final Campaigns campaigns;

	private final Recipients recipients;

	private final Throttles throttles;

	private final KafkaTemplate<String, String> kafka;

	private final JsonMapper json;

	private final CampaignsProperties properties;

	private final CampaignMetrics metrics;

	private final TransactionTemplate transaction;

	FanOut(JdbcClient jdbc, Campaigns campaigns, Recipients recipients, Throttles throttles,
			KafkaTemplate<String, String> kafka, JsonMapper json, CampaignsProperties properties,
			CampaignMetrics metrics, PlatformTransactionManager transactionManager) {
		this.jdbc = jdbc;
		this.campaigns = campaigns;
		this.recipients = recipients;
		this.throttles = throttles;
		this.kafka = kafka;
		this.json = json;
		this.properties = properties;
		this.metrics = metrics;
		this.transaction = new TransactionTemplate(transactionManager);
	}

	@Scheduled(fixedDelayString = "${ccm.campaigns.fan-out-interval:PT0.1S}",
			initialDelayString = "${ccm.campaigns.fan-out-interval:PT0.1S}")
	void fanOut() {
		List<Campaign> running = this.jdbc.sql("SELECT * FROM campaign WHERE state = 'RUNNING' ORDER BY starts_at")
			.query(this.campaigns::campaign)
			.list();
		for (Campaign campaign : running) {
			this.transaction.executeWithoutResult((status) -> page(campaign));
		}
	}

	private void page(Campaign campaign) {
		// shares with other replicas' fan-out, excludes a pause or cancel committing now
		boolean running = this.jdbc.sql("SELECT state = 'RUNNING' FROM campaign WHERE id = ? FOR SHARE")
			.param(campaign.id())
			.query(Boolean.class)
			.single();
		if (!running) {
			return;
		}
		int room = this.properties.maxInFlight() - this.recipients.inFlight(campaign.id());
		if (room <= 0) {
			return;
		}
		Bucket overall = this.throttles.overall(campaign);
		long tokens = overall.tryConsumeAsMuchAsPossible(Math.min(this.properties.pageSize(), room));
		if (tokens == 0) {
			return;
		}
		CampaignRequest.Schedule schedule = campaign.definition().schedule();
		boolean window = schedule.kind() == CampaignRequest.ScheduleKind.LOCAL_WINDOW;
		List<Recipients.Handover> page = this.recipients.pending(campaign.id(), campaign.currentStep(), (int) tokens,
				window ? schedule.windowStart() : null, window ? schedule.windowEnd() : null);
		List<Recipients.Handover> taken = throttleChannels(campaign, page);
		if (taken.size() < tokens) {
			overall.addTokens(tokens - taken.size());
		}
		if (taken.isEmpty()) {
			return;
		}
		this.recipients.queued(campaign.id(), campaign.currentStep(),
				taken.stream().map(Recipients.Handover::seq).toList());
		List<CompletableFuture<?>> sends = new ArrayList<>();
		for (Recipients.Handover handover : taken) {
			RecipientHandedOver record = new RecipientHandedOver(campaign.id(), handover.step(), handover.seq(),
					handover.customerId());
			sends.add(this.kafka.send(this.properties.topic(), handover.customerId().toString(),
					this.json.writeValueAsString(record)));
		}
		try {
			CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
				.get(this.properties.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while handing recipients over", ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new IllegalStateException("Kafka did not acknowledge the hand-over; the page is taken again", ex);
		}
		this.metrics.handedOver(taken.size());
	}

	private List<Recipients.Handover> throttleChannels(Campaign campaign, List<Recipients.Handover> page) {
		Map<Channel, Integer> limits = campaign.definition().throttle().perChannelOrEmpty();
		if (limits.isEmpty()) {
			return page;
		}
		Map<Channel, List<Recipients.Handover>> byChannel = new LinkedHashMap<>();
		page.forEach(
				(handover) -> byChannel.computeIfAbsent(handover.channel(), (key) -> new ArrayList<>()).add(handover));
		List<Recipients.Handover> taken = new ArrayList<>();
		byChannel.forEach((channel, handovers) -> {
			Integer limit = limits.get(channel);
			if (limit == null) {
				taken.addAll(handovers);
				return;
			}
			long granted = this.throttles.channel(campaign, channel.name(), limit)
				.tryConsumeAsMuchAsPossible(handovers.size());
			taken.addAll(handovers.subList(0, (int) granted));
		});
		return taken;
	}

}
