package org.ccm.campaigns;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.ccm.core.Purpose;
import org.ccm.delivery.Communications;
import org.ccm.delivery.DeliveryStatus;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Campaigns that go out in waves: a pilot share before the rest, an A/B test before the
 * winner, a follow-up step for those who did not open.
 */
class CampaignWavesTests extends CampaignIntegrationTest {

	@Autowired
	Communications communications;

	@Test
	void aPilotShareGoesFirstAndTheRestWaitsForTheRelease() {
		CampaignFixtures.Audience audience = this.fixtures.audience(20);
		String template = this.fixtures.template();
		CampaignRequest request = with(request(audience.segment(), template, 100),
				new CampaignRequest.Pilot(25, null, null), null, null);
		UUID id = this.campaigns.create(request, "test").id();
		this.campaigns.launch(id);

		await().atMost(Duration.ofSeconds(60)).until(() -> count(id, 1, "SENT") == 5);
		assertThat(count(id, 1, "HELD")).isEqualTo(15);
		await().pollDelay(Duration.ofSeconds(2)).until(() -> true);
		assertThat(count(id, 1, "HELD")).isEqualTo(15);
		assertThat(this.campaigns.find(id).orElseThrow().state()).isEqualTo(CampaignState.RUNNING);
		assertThat(mailTo(audience.town())).hasSize(5);
		// the pilot is the head of the campaign's own hash order: reproducible
		List<String> pilot = this.jdbc.sql("""
				SELECT external_id FROM campaign_recipient WHERE campaign_id = ? AND wave = 1 ORDER BY external_id""")
			.param(id)
			.query(String.class)
			.list();
		List<String> byHash = this.jdbc.sql("""
				SELECT external_id FROM (SELECT external_id FROM campaign_recipient WHERE campaign_id = ?
				 ORDER BY md5(campaign_id::text || customer_id::text), customer_id LIMIT 5) p ORDER BY external_id""")
			.param(id)
			.query(String.class)
			.list();
		assertThat(pilot).isEqualTo(byHash);

		this.campaigns.release(id);
		assertThat(finished(id).state()).isEqualTo(CampaignState.FINISHED);
		assertThat(count(id, 1, "SENT")).isEqualTo(20);
		assertThat(mailTo(audience.town())).hasSize(20).doesNotHaveDuplicates();
	}

	@Test
	void aPilotIsReleasedByItselfAfterItsWait() {
		CampaignFixtures.Audience audience = this.fixtures.audience(6);
		String template = this.fixtures.template();
		CampaignRequest request = with(request(audience.segment(), template, 100),
				new CampaignRequest.Pilot(null, 2, Duration.ofSeconds(3)), null, null);
		UUID id = this.campaigns.create(request, "test").id();
		this.campaigns.launch(id);
		Campaign finished = finished(id);
		assertThat(finished.releasedAt()).isAfterOrEqualTo(finished.startsAt().plusSeconds(3));
		assertThat(count(id, 1, "SENT")).isEqualTo(6);
	}

	@Test
	void theVariantWithMoreOpensGoesToTheRest() {
		CampaignFixtures.Audience audience = this.fixtures.audience(20);
		String template = this.fixtures.template("Variant A", "Variant B");
		CampaignRequest.AbTest test = new CampaignRequest.AbTest(
				List.of(new CampaignRequest.Variant("A", 1, 50), new CampaignRequest.Variant("B", 2, 50)), 50,
				new CampaignRequest.WinnerRule(CampaignRequest.Metric.OPENED, Duration.ofHours(1)));
		UUID id = this.campaigns.create(with(request(audience.segment(), template, 100), null, test, null), "test")
			.id();
		this.campaigns.launch(id);
		await().atMost(Duration.ofSeconds(60)).until(() -> count(id, 1, "SENT") == 10);
		assertThat(count(id, 1, "HELD")).isEqualTo(10);
		// every B recipient opens, no A recipient does
		open(id, 1, "variant = 1");

		Campaign released = this.campaigns.release(id);
		assertThat(released.winner()).isEqualTo("B");
		assertThat(finished(id).state()).isEqualTo(CampaignState.FINISHED);
		List<String> subjects = subjects(audience.town());
		assertThat(subjects).hasSize(20);
		assertThat(subjects).filteredOn("Variant A"::equals).hasSize(5);
		assertThat(subjects).filteredOn("Variant B"::equals).hasSize(15);
		CampaignResults results = this.campaigns.results(id);
		assertThat(results.funnels()).extracting(CampaignResults.Funnel::variant).containsExactly("A", "B");
		assertThat(results.funnels().get(0).sent()).isEqualTo(5);
		assertThat(results.funnels().get(0).opened()).isZero();
		assertThat(results.funnels().get(1).sent()).isEqualTo(15);
		assertThat(results.funnels().get(1).opened()).isEqualTo(5);
	}

	@Test
	void aReminderGoesOnlyToThoseWhoDidNotOpen() {
		CampaignFixtures.Audience audience = this.fixtures.audience(6);
		String template = this.fixtures.template("First news");
		String reminder = this.fixtures.template("Reminder");
		CampaignRequest request = with(request(audience.segment(), template, 100), null, null,
				List.of(new CampaignRequest.Step(Duration.ofSeconds(20), CampaignRequest.Metric.OPENED,
						org.ccm.core.Channel.EMAIL, reminder)));
		UUID id = this.campaigns.create(request, "test").id();
		this.campaigns.launch(id);
		await().atMost(Duration.ofSeconds(20)).until(() -> count(id, 1, "SENT") == 6);
		open(id, 1, "seq <= 2");
		assertThat(this.campaigns.find(id).orElseThrow().currentStep()).isEqualTo(1);

		Campaign finished = finished(id);
		assertThat(finished.currentStep()).isEqualTo(2);
		assertThat(finished.templateVersions()).containsExactly(1, 1);
		Map<String, String> reminded = statuses(id, 2);
		assertThat(reminded).hasSize(4).allSatisfy((customer, status) -> assertThat(status).isEqualTo("SENT"));
		List<String> opened = this.jdbc
			.sql("SELECT external_id FROM campaign_recipient WHERE campaign_id = ? AND step = 1 AND seq <= 2")
			.param(id)
			.query(String.class)
			.list();
		assertThat(reminded.keySet()).doesNotContainAnyElementsOf(opened);
		List<String> subjects = subjects(audience.town());
		assertThat(subjects).filteredOn("First news"::equals).hasSize(6);
		assertThat(subjects).filteredOn("Reminder"::equals).hasSize(4);
	}

	@Test
	void customersWhoIgnoredTheirLastCommunicationsAreLeftOutWithTheReason() {
		CampaignFixtures.Audience audience = this.fixtures.audience(6);
		String template = this.fixtures.template("First news");
		UUID first = this.campaigns.create(request(audience.segment(), template, 100), "test").id();
		this.campaigns.launch(first);
		finished(first);
		open(first, 1, "seq <= 2");
		List<String> opened = this.jdbc
			.sql("SELECT external_id FROM campaign_recipient WHERE campaign_id = ? AND seq <= 2 ORDER BY external_id")
			.param(first)
			.query(String.class)
			.list();
		await().atMost(Duration.ofSeconds(20)).until(() -> this.jdbc.sql("""
				SELECT count(*) FROM interaction i JOIN campaign_recipient r ON r.customer_id = i.customer_id
				 WHERE r.campaign_id = ? AND i.type = 'OPENED'""").param(first).query(Long.class).single() == 2);

		// nobody has had two communications yet: nobody is left out
		UUID lenient = this.campaigns.create(withUnresponsive(request(audience.segment(), template, 100), 2), "test")
			.id();
		this.campaigns.launch(lenient);
		assertThat(finished(lenient).state()).isEqualTo(CampaignState.FINISHED);
		assertThat(statuses(lenient, 1).values()).containsOnly("SENT").hasSize(6);
		await().atMost(Duration.ofSeconds(20)).until(() -> this.jdbc.sql("""
				SELECT count(*) FROM interaction i JOIN campaign_recipient r ON r.customer_id = i.customer_id
				 WHERE r.campaign_id = ? AND i.type = 'SENT'""").param(first).query(Long.class).single() == 12);

		// of their last two, the openers opened one; the others none
		UUID strict = this.campaigns
			.create(withUnresponsive(with(request(audience.segment(), template, 100),
					new CampaignRequest.Pilot(50, null, null), null, null), 2), "test")
			.id();
		this.campaigns.launch(strict);
		await().atMost(Duration.ofSeconds(60)).until(() -> count(strict, 1, "SENT") == 1);
		Map<String, String> statuses = statuses(strict, 1);
		assertThat(statuses).hasSize(6);
		assertThat(statuses.entrySet()).filteredOn((e) -> e.getValue().equals("SKIPPED"))
			.extracting(Map.Entry::getKey)
			.hasSize(4)
			.doesNotContainAnyElementsOf(opened);
		assertThat(this.jdbc.sql("""
				SELECT DISTINCT reason FROM campaign_recipient WHERE campaign_id = ? AND status = 'SKIPPED'""")
			.param(strict)
			.query(String.class)
			.list()).containsExactly("did not open, click or respond to any of their last 2 communications");
		// the pilot is half of those left, not of everyone
		assertThat(count(strict, 1, "HELD")).isEqualTo(1);
		this.campaigns.release(strict);
		assertThat(finished(strict).state()).isEqualTo(CampaignState.FINISHED);
		assertThat(this.campaigns.progress(strict).total()).isEqualTo(6);
		assertThat(statuses(strict, 1).entrySet()).filteredOn((e) -> e.getValue().equals("SENT"))
			.extracting(Map.Entry::getKey)
			.containsExactlyInAnyOrderElementsOf(opened);
		assertThat(mailTo(audience.town())).hasSize(6 + 6 + 2);
	}

	static CampaignRequest withUnresponsive(CampaignRequest request, int lastCommunications) {
		return new CampaignRequest(request.name(), request.segment(), request.template(), request.purpose(),
				request.data(), request.schedule(), request.throttle(), request.pilot(), request.abTest(),
				request.steps(), lastCommunications);
	}

	/**
	 * Records an open for the matching recipients' deliveries, as the tracking pixel
	 * would.
	 */
	void open(UUID campaign, int step, String condition) {
		List<UUID> communicationIds = this.jdbc
			.sql("SELECT communication_id FROM campaign_recipient WHERE campaign_id = ? AND step = ? AND " + condition)
			.params(campaign, step)
			.query(UUID.class)
			.list();
		for (UUID communication : communicationIds) {
			this.communications.find(communication)
				.orElseThrow()
				.deliveries()
				.forEach((delivery) -> this.communications.recordEngagement(delivery.id(), DeliveryStatus.OPENED,
						Instant.now()));
		}
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.jdbc.sql("""
					SELECT count(*) FROM campaign_recipient WHERE campaign_id = ? AND step = ? AND engagement >= 3""")
				.params(campaign, step)
				.query(Long.class)
				.single() == communicationIds.size());
	}

	long count(UUID campaign, int step, String status) {
		return this.jdbc
			.sql("SELECT count(*) FROM campaign_recipient WHERE campaign_id = ? AND step = ? AND status = ?")
			.params(campaign, step, status)
			.query(Long.class)
			.single();
	}

	static List<String> subjects(String town) {
		return Arrays.stream(mail.getReceivedMessages())
			.filter((message) -> to(message).startsWith(town))
			.map((message) -> {
				try {
					return message.getSubject();
				}
				catch (MessagingException ex) {
					throw new IllegalStateException(ex);
				}
			})
			.toList();
	}

	static String to(MimeMessage message) {
		try {
			return message.getAllRecipients()[0].toString();
		}
		catch (MessagingException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static CampaignRequest with(CampaignRequest request, CampaignRequest.Pilot pilot, CampaignRequest.AbTest test,
			List<CampaignRequest.Step> steps) {
		return new CampaignRequest(request.name(), request.segment(), request.template(), Purpose.MARKETING,
				request.data(), request.schedule(), request.throttle(), pilot, test, steps);
	}

}
