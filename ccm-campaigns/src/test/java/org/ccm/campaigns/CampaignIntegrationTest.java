package org.ccm.campaigns;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.ccm.core.Customers;
import org.ccm.core.Segments;
import org.ccm.core.testing.PostgresTestConfiguration;
import org.ccm.templates.TemplateAuthoring;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The campaign engine on the real platform below it: PostgreSQL, a Kafka broker, the
 * delivery pipeline and an SMTP server that counts what arrives. Every test class
 * extending this one shares one application context.
 */
@SpringBootTest(classes = CampaignsTestApplication.class,
		properties = { "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
				"ccm.delivery.kafka.partitions=1", "ccm.campaigns.partitions=2",
				"ccm.campaigns.fan-out-interval=PT0.05S", "ccm.campaigns.coordinate-interval=PT0.2S",
				"ccm.campaigns.max-in-flight=150", "spring.task.scheduling.pool.size=4",
				"ccm.delivery.email.from=News <news@example.com>", "ccm.delivery.marketing.quiet-channels=PORTAL",
				"ccm.delivery.marketing.max-per-day=100", "ccm.delivery.marketing.max-per-week=100",
				"ccm.tracking.base-url=https://ccm.example.com",
				"ccm.tracking.signing-secret=campaign-test-signing-secret-0123456789abcdef" })
@AutoConfigureMockMvc
@EmbeddedKafka(partitions = 1)
@Import(PostgresTestConfiguration.class)
abstract class CampaignIntegrationTest {

	static final GreenMail mail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));

	static {
		mail.start();
		Runtime.getRuntime().addShutdownHook(new Thread(mail::stop));
	}

	@DynamicPropertySource
	static void smtp(DynamicPropertyRegistry registry) {
		registry.add("spring.mail.host", () -> "127.0.0.1");
		registry.add("spring.mail.port", () -> mail.getSmtp().getPort());
	}

	@Autowired
	MockMvc mvc;

	@Autowired
	Campaigns campaigns;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	Customers customers;

	@Autowired
	Segments segments;

	@Autowired
	TemplateAuthoring authoring;

	CampaignFixtures fixtures;

	@BeforeEach
	void fixtures() {
		this.fixtures = new CampaignFixtures(this.customers, this.segments, this.authoring);
	}

	static CampaignRequest request(String segment, String template, int perSecond) {
		return new CampaignRequest("Autumn news", segment, template, org.ccm.core.Purpose.MARKETING,
				Map.of("season", "autumn"),
				new CampaignRequest.Schedule(CampaignRequest.ScheduleKind.NOW, null, null, null),
				new CampaignRequest.Throttle(perSecond, null), null, null, null);
	}

	/**
	 * Every scenario ends with the counts progress reports, and the funnel results
	 * report, equal to the recipients counted one by one: each compared in one statement,
	 * so whatever is still under way (sends, the coordinator folding the tallies) is seen
	 * the same by both sides.
	 */
	@AfterEach
	void theTallyAgreesWithTheRecipients() {
		List<String> disagreements = this.jdbc.sql("""
				SELECT campaign_id || ' ' || status || ' ' || channel || ': tally ' || coalesce(tallied.n, 0)
				       || ', recipients ' || coalesce(counted.n, 0)
				  FROM (SELECT campaign_id, status, coalesce(sent_channel, channel) AS channel, count(*) AS n
				          FROM campaign_recipient GROUP BY 1, 2, 3) counted
				  FULL JOIN (SELECT campaign_id, status, channel, sum(recipients) AS n
				               FROM (SELECT campaign_id, status, channel, recipients FROM campaign_tally
				                     UNION ALL
				                     SELECT campaign_id, status, channel, recipients FROM campaign_tally_change) t
				              GROUP BY 1, 2, 3 HAVING sum(recipients) <> 0) tallied USING (campaign_id, status, channel)
				 WHERE counted.n IS DISTINCT FROM tallied.n""").query(String.class).list();
		assertThat(disagreements).isEmpty();
		List<String> funnelDisagreements = this.jdbc
			.sql("""
					SELECT campaign_id || ' step ' || step || ' variant ' || variant || ' ' || channel || ' level ' || engagement
					       || ': tally ' || coalesce(tallied.n, 0) || '/' || coalesce(tallied.opens, 0) || '/'
					       || coalesce(tallied.clicks, 0) || ', recipients ' || coalesce(counted.n, 0) || '/'
					       || coalesce(counted.opens, 0) || '/' || coalesce(counted.clicks, 0)
					  FROM (SELECT campaign_id, step, coalesce(variant, -1) AS variant, sent_channel AS channel, engagement,
					               count(*) AS n, sum(machine_opens) AS opens, sum(machine_clicks) AS clicks
					          FROM campaign_recipient WHERE sent_channel IS NOT NULL GROUP BY 1, 2, 3, 4, 5) counted
					  FULL JOIN (SELECT campaign_id, step, coalesce(variant, -1) AS variant, channel, engagement,
					                    sum(recipients) AS n, sum(machine_opens) AS opens, sum(machine_clicks) AS clicks
					               FROM (SELECT campaign_id, step, variant, channel, engagement, recipients, machine_opens,
					                            machine_clicks FROM campaign_funnel
					                     UNION ALL
					                     SELECT campaign_id, step, variant, channel, engagement, recipients, machine_opens,
					                            machine_clicks FROM campaign_funnel_change) t
					              GROUP BY 1, 2, 3, 4, 5 HAVING sum(recipients) <> 0) tallied
					       USING (campaign_id, step, variant, channel, engagement)
					 WHERE (counted.n, counted.opens, counted.clicks) IS DISTINCT FROM (tallied.n, tallied.opens, tallied.clicks)""")
			.query(String.class)
			.list();
		assertThat(funnelDisagreements).isEmpty();
	}

	Campaign finished(UUID id) {
		return await().atMost(Duration.ofSeconds(90))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> this.campaigns.find(id).orElseThrow(), (campaign) -> campaign.state().isOver());
	}

	/** Statuses of the step's recipients by customer external id. */
	Map<String, String> statuses(UUID campaign, int step) {
		return this.jdbc.sql("SELECT external_id, status FROM campaign_recipient WHERE campaign_id = ? AND step = ?")
			.params(campaign, step)
			.query((rs) -> {
				Map<String, String> statuses = new java.util.TreeMap<>();
				while (rs.next()) {
					statuses.put(rs.getString(1), rs.getString(2));
				}
				return statuses;
			});
	}

	/** The emails that arrived at the SMTP server for addresses in the town. */
	static List<String> mailTo(String town) {
		return Arrays.stream(mail.getReceivedMessages())
			.flatMap((message) -> recipients(message).stream())
			.filter((address) -> address.startsWith(town.toLowerCase(java.util.Locale.ROOT)))
			.toList();
	}

	private static List<String> recipients(MimeMessage message) {
		try {
			Address[] to = message.getAllRecipients();
			return (to != null) ? Arrays.stream(to).map(Address::toString).toList() : List.of();
		}
		catch (MessagingException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
