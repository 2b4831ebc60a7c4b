package org.ccm.campaigns;

import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.ccm.core.UnknownCustomerException;
import org.ccm.delivery.Communications;
import org.ccm.delivery.SendRequest;
import org.ccm.templates.InvalidTemplateDataException;
import org.ccm.templates.UnknownTemplateException;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import tools.jackson.databind.json.JsonMapper;

/**
 * Accepts each handed-over recipient through delivery's send, with the idempotency key
 * {@code campaign:<id>:<step>:<seq>}, routed in the same transaction (nobody waits for
 * this answer, so routing here saves each recipient a hop through Kafka). The recipient
 * row is locked, checked to be still {@code QUEUED}, and marked {@code ACCEPTED} in the
 * transaction that accepts the communication: a redelivered record finds it accepted and
 * does nothing, and a crash before commit leaves both undone.
 */
@Component
class RecipientSends {

	static final String CLIENT = "ccm-campaigns";

	private final JdbcClient jdbc;

	private final JsonMapper json;

	private final Campaigns campaigns;

	private final Communications communications;

	private final CampaignMetrics metrics;

	private final TransactionTemplate transaction;

	/** Definitions and pinned versions never change after launch. */
	private final Map<UUID, Campaign> launched = new ConcurrentHashMap<>();

	RecipientSends(JdbcClient jdbc, JsonMapper json, Campaigns campaigns, Communications communications,
			CampaignMetrics metrics, PlatformTransactionManager transactionManager) {
		this.jdbc = jdbc;
		this.json = json;
		this.campaigns = campaigns;
		this.communications = communications;
		this.metrics = metrics;
		this.transaction = new TransactionTemplate(transactionManager);
	}

	@KafkaListener(id = "ccm-campaigns-recipients", groupId = "ccm-campaigns",
			concurrency = "${ccm.campaigns.consumers:1}", topics = "${ccm.campaigns.topic:ccm.campaigns.recipients}",
			properties = "auto.offset.reset=earliest")
	void onHandedOver(String payload) {
		RecipientHandedOver handover = this.json.readValue(payload, RecipientHandedOver.class);
		try {
			this.transaction.executeWithoutResult((status) -> accept(handover));
		}
		catch (UnknownCustomerException ex) {
			close(handover, RecipientStatus.SKIPPED, "the customer no longer exists");
		}
		catch (UnknownTemplateException | InvalidTemplateDataException ex) {
			close(handover, RecipientStatus.FAILED, ex.getMessage());
		}
	}

	private void accept(RecipientHandedOver handover) {
		record Row(String status, String externalId, @Nullable Integer variant) {
		}
		Optional<Row> row = this.jdbc.sql("""
				SELECT status, external_id, variant FROM campaign_recipient
				 WHERE campaign_id = ? AND step = ? AND seq = ? FOR UPDATE""")
			.params(handover.campaignId(), handover.step(), handover.seq())
			.query((rs, n) -> new Row(rs.getString(1), rs.getString(2), rs.getObject(3, Integer.class)))
			.optional();
		if (row.isEmpty() || !row.get().status().equals(RecipientStatus.QUEUED.name())) {
			return;
		}
		Campaign campaign = this.launched.computeIfAbsent(handover.campaignId(),
				(id) -> this.campaigns.find(id).orElseThrow(() -> new UnknownCampaignException(id)));
		CampaignRequest definition = campaign.definition();
		String template = definition.template();
		List<org.ccm.core.Channel> channels = null;
		int version = campaign.templateVersions().get(handover.step() - 1);
		if (handover.step() > 1) {
			CampaignRequest.Step step = definition.stepsOrEmpty().get(handover.step() - 2);
			template = (step.template() != null) ? step.template() : template;
			channels = (step.channel() != null) ? List.of(step.channel()) : null;
		}
		else if (row.get().variant() != null && definition.abTest() != null) {
			version = definition.abTest().variants().get(row.get().variant()).templateVersion();
		}
		// the recipient is marked accepted before routing, which may already settle it
		// (a suppressed channel is reported to DeliveryReports at once)
		this.communications.acceptAndRoute(
				new SendRequest(
						row.get().externalId(), template, definition.purpose(), definition.dataOrEmpty(), channels),
				handover.idempotencyKey(), CLIENT, version,
				(acceptance) -> this.jdbc.sql("""
						UPDATE campaign_recipient SET status = 'ACCEPTED', communication_id = ?, accepted_at = ?,
						       updated_at = ?
						 WHERE campaign_id = ? AND step = ? AND seq = ?""")
					.params(acceptance.communicationId(), Timestamp.from(Recipients.now()),
							Timestamp.from(Recipients.now()), handover.campaignId(), handover.step(), handover.seq())
					.update());
		this.metrics.accepted();
	}

	private void close(RecipientHandedOver handover, RecipientStatus status, @Nullable String reason) {
		this.transaction.executeWithoutResult((tx) -> this.jdbc.sql("""
				UPDATE campaign_recipient SET status = ?, reason = ?, updated_at = ?
				 WHERE campaign_id = ? AND step = ? AND seq = ? AND status = 'QUEUED'""")
			.params(status.name(), reason, Timestamp.from(Recipients.now()), handover.campaignId(), handover.step(),
					handover.seq())
			.update());
	}

}
