package org.ccm.campaigns;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.ccm.delivery.CommunicationOutcome;
import org.ccm.delivery.Communications;
import org.ccm.delivery.DeliveryStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The campaign work that must happen once, on one replica at a time (ShedLock): start
 * scheduled campaigns, give recipients the final status delivery decided, hand over again
 * what Kafka lost, release held shares (pilot, A/B winner), start follow-up steps and
 * finish campaigns whose recipients all have a final status.
 */
@Component
class Coordinator {

	private static final int PAGE = 500;

	/** Campaigns the coordinator looks after and the gauges report. */
	private static final String ACTIVE = "state IN ('RUNNING', 'PAUSED', 'SCHEDULED')";

	private final JdbcClient jdbc;

	private final Campaigns campaigns;

	private final Recipients recipients;

	private final Communications communications;

	private final CampaignsProperties properties;

	private final CampaignMetrics metrics;

	private final TransactionTemplate transaction;

	Coordinator(JdbcClient jdbc, Campaigns campaigns, Recipients recipients, Communications communications,
			CampaignsProperties properties, CampaignMetrics metrics, PlatformTransactionManager transactionManager) {
		this.jdbc = jdbc;
		this.campaigns = campaigns;
		this.recipients = recipients;
		this.communications = communications;
		this.properties = properties;
		this.metrics = metrics;
		this.transaction = new TransactionTemplate(transactionManager);
	}

	@Scheduled(fixedDelayString = "${ccm.campaigns.coordinate-interval:PT0.5S}",
			initialDelayString = "${ccm.campaigns.coordinate-interval:PT0.5S}")
	@SchedulerLock(name = "ccm-campaigns-coordinate", lockAtMostFor = "PT5M")
	void coordinate() {
		Instant now = Recipients.now();
		this.transaction.executeWithoutResult((status) -> this.recipients.foldTally());
		this.transaction.executeWithoutResult((status) -> this.jdbc
			.sql("UPDATE campaign SET state = 'RUNNING', updated_at = ? WHERE state = 'SCHEDULED' AND starts_at <= ?")
			.params(Timestamp.from(now), Timestamp.from(now))
			.update());
		settle();
		this.transaction
			.executeWithoutResult((status) -> this.recipients.requeueStale(now.minus(this.properties.requeueAfter())));
		List<Campaign> active = this.jdbc.sql("SELECT * FROM campaign WHERE " + ACTIVE + " ORDER BY starts_at")
			.query(this.campaigns::campaign)
			.list();
		for (Campaign campaign : active) {
			if (campaign.state() == CampaignState.RUNNING) {
				this.transaction.executeWithoutResult((status) -> advance(campaign.id()));
			}
		}
	}

	/**
	 * Refreshes the recipient gauges of the active campaigns from the tally. Every
	 * replica reports the same counts.
	 */
	@Scheduled(fixedDelayString = "${ccm.campaigns.meters-interval:PT15S}",
			initialDelayString = "${ccm.campaigns.coordinate-interval:PT0.5S}")
	void measure() {
		List<UUID> active = this.jdbc.sql("SELECT id FROM campaign WHERE " + ACTIVE).query(UUID.class).list();
		this.metrics.update(this.recipients.counts(active));
	}

	/**
	 * Gives recipients whose delivery changed the status delivery decided, a page at a
	 * time.
	 */
	void settle() {
		int settled;
		do {
			settled = this.transaction.execute((status) -> {
				Map<UUID, Recipients.RecipientKey> changed = this.recipients.changed(PAGE);
				for (CommunicationOutcome outcome : this.communications.outcomes(changed.keySet())) {
					Recipients.RecipientKey key = changed.get(outcome.communicationId());
					switch (outcome.status()) {
						case SENT -> this.recipients.settle(key, RecipientStatus.SENT, null, outcome.channel());
						case UNDELIVERED ->
							this.recipients.settle(
									key, (outcome.deliveryStatus() == DeliveryStatus.SUPPRESSED)
											? RecipientStatus.SKIPPED : RecipientStatus.FAILED,
									outcome.reason(), outcome.channel());
						case IN_PROGRESS ->
							this.recipients.settle(
									key, (outcome.deliveryStatus() == DeliveryStatus.DEFERRED)
											? RecipientStatus.DEFERRED : RecipientStatus.ACCEPTED,
									outcome.reason(), null);
						case ACCEPTED -> this.recipients.settle(key, null, null, null);
					}
				}
				return changed.size();
			});
		}
		while (settled == PAGE);
	}

	private void advance(UUID id) {
		Campaign campaign = this.jdbc.sql("SELECT * FROM campaign WHERE id = ? FOR UPDATE")
			.param(id)
			.query(this.campaigns::campaign)
			.single();
		if (campaign.state() != CampaignState.RUNNING) {
			return;
		}
		Instant now = Recipients.now();
		CampaignRequest definition = campaign.definition();
		if (campaign.releasedAt() == null && campaign.startsAt() != null) {
			Duration wait = (definition.pilot() != null) ? definition.pilot().releaseAfter()
					: (definition.abTest() != null) ? definition.abTest().winner().after() : null;
			if (wait != null && !now.isBefore(campaign.startsAt().plus(wait))) {
				this.recipients.release(campaign, now);
				return;
			}
		}
		if (this.recipients.anyOpen(id)) {
			return;
		}
		List<CampaignRequest.Step> steps = definition.stepsOrEmpty();
		int step = campaign.currentStep();
		if (step <= steps.size()) {
			CampaignRequest.Step next = steps.get(step - 1);
			Instant started = (campaign.stepStartedAt() != null) ? campaign.stepStartedAt() : now;
			if (!now.isBefore(started.plus(next.after()))) {
				this.recipients.nextStep(id, step, next);
				this.jdbc.sql("UPDATE campaign SET current_step = ?, step_started_at = ?, updated_at = ? WHERE id = ?")
					.params(step + 1, Timestamp.from(now), Timestamp.from(now), id)
					.update();
			}
			return;
		}
		this.jdbc.sql("UPDATE campaign SET state = 'FINISHED', finished_at = ?, updated_at = ? WHERE id = ?")
			.params(Timestamp.from(now), Timestamp.from(now), id)
			.update();
	}

}
