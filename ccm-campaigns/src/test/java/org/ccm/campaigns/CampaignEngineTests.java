package org.ccm.campaigns;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import org.ccm.core.CustomerProfile;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A campaign from launch to its last recipient, with pause, resume and cancel, counted at
 * the SMTP server.
 */
class CampaignEngineTests extends CampaignIntegrationTest {

	@Autowired
	KafkaListenerEndpointRegistry listeners;

	@Test
	void everyRecipientGetsAFinalStatusBeforeTheCampaignFinishes() {
		CampaignFixtures.Audience audience = this.fixtures.audience(12);
		CustomerProfile refuses = this.fixtures.customer(audience.town(), 99, false);
		String template = this.fixtures.template();
		Campaign draft = this.campaigns.create(request(audience.segment(), template, 200), "test");
		assertThat(draft.state()).isEqualTo(CampaignState.DRAFT);

		Campaign launched = this.campaigns.launch(draft.id());
		assertThat(launched.total()).isEqualTo(13);
		assertThat(launched.templateVersions()).containsExactly(1);

		Campaign finished = finished(draft.id());
		assertThat(finished.state()).isEqualTo(CampaignState.FINISHED);
		Map<String, String> statuses = statuses(draft.id(), 1);
		assertThat(statuses).hasSize(13).containsEntry(refuses.externalId(), "SKIPPED");
		assertThat(statuses.values()).filteredOn("SENT"::equals).hasSize(12);
		String reason = this.jdbc.sql("SELECT reason FROM campaign_recipient WHERE campaign_id = ? AND external_id = ?")
			.params(draft.id(), refuses.externalId())
			.query(String.class)
			.single();
		assertThat(reason).containsIgnoringCase("consent");
		assertThat(mailTo(audience.town())).hasSize(12).doesNotHaveDuplicates();

		CampaignProgress progress = this.campaigns.progress(draft.id());
		assertThat(progress.total()).isEqualTo(13);
		assertThat(progress.sent()).isEqualTo(12);
		assertThat(progress.settled()).isEqualTo(13);
		assertThat(progress.byStatus()).containsEntry(RecipientStatus.SENT, 12L)
			.containsEntry(RecipientStatus.SKIPPED, 1L);
		assertThat(progress.byChannel().get("EMAIL")).containsEntry(RecipientStatus.SENT, 12L);
		CampaignResults results = this.campaigns.results(draft.id());
		assertThat(results.funnels()).singleElement().satisfies((funnel) -> {
			assertThat(funnel.channel()).isEqualTo("EMAIL");
			assertThat(funnel.sent()).isEqualTo(12);
		});
	}

	@Test
	void pauseStopsTheHandOverAndResumeSendsTheRestOnce() {
		CampaignFixtures.Audience audience = this.fixtures.audience(30);
		String template = this.fixtures.template();
		UUID id = this.campaigns.create(request(audience.segment(), template, 5), "test").id();
		this.campaigns.launch(id);
		await().atMost(Duration.ofSeconds(30)).until(() -> handedOver(id) >= 3);
		this.campaigns.pause(id);
		long atPause = handedOver(id);
		// in-flight pages drain, nothing new is taken
		await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> true);
		long afterPause = handedOver(id);
		assertThat(afterPause).isLessThan(30).isLessThanOrEqualTo(atPause + 2);
		await().pollDelay(Duration.ofSeconds(1)).until(() -> true);
		assertThat(handedOver(id)).isEqualTo(afterPause);

		this.campaigns.resume(id);
		assertThat(finished(id).state()).isEqualTo(CampaignState.FINISHED);
		assertThat(statuses(id, 1).values()).containsOnly("SENT").hasSize(30);
		assertThat(mailTo(audience.town())).hasSize(30).doesNotHaveDuplicates();
	}

	@Test
	void cancelStopsWithinSecondsAndMarksTheRestCancelled() {
		CampaignFixtures.Audience audience = this.fixtures.audience(40);
		String template = this.fixtures.template();
		UUID id = this.campaigns.create(request(audience.segment(), template, 4), "test").id();
		this.campaigns.launch(id);
		await().atMost(Duration.ofSeconds(30)).until(() -> handedOver(id) >= 2);
		this.campaigns.cancel(id);
		long atCancel = handedOver(id);

		await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> true);
		assertThat(handedOver(id)).isEqualTo(atCancel);
		Map<String, String> statuses = statuses(id, 1);
		assertThat(statuses.values()).filteredOn("CANCELLED"::equals).hasSizeGreaterThanOrEqualTo(40 - (int) atCancel);
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(statuses(id, 1).values()).containsOnly("SENT", "CANCELLED"));
		long sent = statuses(id, 1).values().stream().filter("SENT"::equals).count();
		await().atMost(Duration.ofSeconds(30)).until(() -> mailTo(audience.town()).size() == sent);
		assertThat(this.campaigns.find(id).orElseThrow().state()).isEqualTo(CampaignState.CANCELLED);
	}

	@Test
	void theFanOutWaitsForDeliveryInsteadOfQueueingTheWholeList() {
		// the shared context allows 150 recipients in flight
		// (ccm.campaigns.max-in-flight)
		CampaignFixtures.Audience audience = this.fixtures.audience(200);
		String template = this.fixtures.template();
		whilePaused("ccm-campaigns-recipients", (accepting) -> {
			UUID id = this.campaigns.create(request(audience.segment(), template, 10_000), "test").id();
			this.campaigns.launch(id);
			await().atMost(Duration.ofSeconds(30)).until(() -> countOf(id, "QUEUED") == 150);
			await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> true);
			assertThat(countOf(id, "QUEUED")).isEqualTo(150);
			assertThat(countOf(id, "PENDING")).isEqualTo(50);
			accepting.resume();
			assertThat(finished(id).state()).isEqualTo(CampaignState.FINISHED);
			assertThat(statuses(id, 1).values()).hasSize(200).containsOnly("SENT");
			await().atMost(Duration.ofSeconds(30)).until(() -> mailTo(audience.town()).size() >= 200);
			assertThat(mailTo(audience.town())).hasSize(200).doesNotHaveDuplicates();
		});
	}

	@Test
	void recipientsAreRoutedWhenAcceptedWithoutTheRoutingConsumer() {
		CampaignFixtures.Audience audience = this.fixtures.audience(20);
		String template = this.fixtures.template();
		whilePaused("ccm-delivery-routing", (routing) -> {
			UUID id = this.campaigns.create(request(audience.segment(), template, 10_000), "test").id();
			this.campaigns.launch(id);
			assertThat(finished(id).state()).isEqualTo(CampaignState.FINISHED);
			assertThat(statuses(id, 1).values()).hasSize(20).containsOnly("SENT");
			await().atMost(Duration.ofSeconds(30)).until(() -> mailTo(audience.town()).size() >= 20);
			assertThat(mailTo(audience.town())).hasSize(20).doesNotHaveDuplicates();
		});
	}

	/** Runs the body with the listener paused, and resumes it whatever happens. */
	void whilePaused(String listenerId, Consumer<MessageListenerContainer> body) {
		MessageListenerContainer container = this.listeners.getListenerContainer(listenerId);
		container.pause();
		try {
			await().atMost(Duration.ofSeconds(30)).until(container::isContainerPaused);
			body.accept(container);
		}
		finally {
			container.resume();
		}
	}

	long countOf(UUID id, String status) {
		return this.jdbc.sql("SELECT count(*) FROM campaign_recipient WHERE campaign_id = ? AND status = ?")
			.params(id, status)
			.query(Long.class)
			.single();
	}

	long handedOver(UUID id) {
		return this.jdbc.sql(
				"SELECT count(*) FROM campaign_recipient WHERE campaign_id = ? AND status NOT IN ('PENDING', 'HELD', 'CANCELLED')")
			.param(id)
			.query(Long.class)
			.single();
	}

}
