package org.ccm.campaigns;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.mail.MessagingException;
import org.ccm.core.Customers;
import org.ccm.core.Segments;
import org.ccm.core.testing.EmbeddedPostgresServer;
import org.ccm.templates.TemplateAuthoring;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two application instances on one database, one broker and one SMTP server share a
 * campaign; one of them stops in the middle and starts again. Every customer gets the
 * email exactly once, counted at the SMTP server.
 */
@EmbeddedKafka(partitions = 2)
class CampaignInstancesTests {

	static final GreenMail mail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));

	final List<ConfigurableApplicationContext> instances = new ArrayList<>();

	@AfterEach
	void stop() {
		this.instances.forEach(ConfigurableApplicationContext::close);
		mail.stop();
	}

	@Test
	void twoInstancesShareACampaignAndARestartNeitherLosesNorRepeatsAnyone(EmbeddedKafkaBroker kafka) {
		mail.start();
		String database = EmbeddedPostgresServer.newDatabase();
		ConfigurableApplicationContext first = start(database, kafka);
		ConfigurableApplicationContext second = start(database, kafka);
		CampaignFixtures fixtures = new CampaignFixtures(first.getBean(Customers.class), first.getBean(Segments.class),
				first.getBean(TemplateAuthoring.class));
		CampaignFixtures.Audience audience = fixtures.audience(80);
		String template = fixtures.template();
		Campaigns campaigns = first.getBean(Campaigns.class);
		UUID id = campaigns.create(CampaignIntegrationTest.request(audience.segment(), template, 4), "test").id();
		campaigns.launch(id);

		JdbcClient jdbc = second.getBean(JdbcClient.class);
		await().atMost(Duration.ofSeconds(60)).until(() -> accepted(jdbc, id) >= 12);
		assertThat(accepted(jdbc, id)).isLessThan(40);
		// held while one instance goes away and comes back (an instance takes longer to
		// start
		// than this campaign takes to hand over), so that it restarts in the middle; its
		// delivery workers stop with emails still to send
		Campaigns survivor = second.getBean(Campaigns.class);
		survivor.pause(id);
		MeterRegistry firstMeters = first.getBean(MeterRegistry.class);
		first.close();
		double handedOverByFirst = firstMeters.counter("ccm.campaigns.handed.over").count();
		ConfigurableApplicationContext restarted = start(database, kafka);
		assertThat(accepted(jdbc, id)).isLessThan(80);
		restarted.getBean(Campaigns.class).resume(id);

		await().atMost(Duration.ofSeconds(300))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> survivor.find(id).orElseThrow().state() == CampaignState.FINISHED);
		assertThat(handedOverByFirst).isPositive();
		assertThat(handedOver(second)).isPositive();
		assertThat(handedOverByFirst + handedOver(second) + handedOver(restarted)).isEqualTo(80);
		assertThat(survivor.progress(id).sent()).isEqualTo(80);
		List<String> received = Arrays.stream(mail.getReceivedMessages()).map((message) -> {
			try {
				return message.getAllRecipients()[0].toString();
			}
			catch (MessagingException ex) {
				throw new IllegalStateException(ex);
			}
		}).toList();
		assertThat(received).hasSize(80).doesNotHaveDuplicates();
	}

	static long accepted(JdbcClient jdbc, UUID id) {
		return jdbc
			.sql("SELECT count(*) FROM campaign_recipient WHERE campaign_id = ? AND communication_id IS NOT NULL")
			.param(id)
			.query(Long.class)
			.single();
	}

	static double handedOver(ConfigurableApplicationContext instance) {
		return instance.getBean(MeterRegistry.class).counter("ccm.campaigns.handed.over").count();
	}

	ConfigurableApplicationContext start(String database, EmbeddedKafkaBroker kafka) {
		ConfigurableApplicationContext instance = new SpringApplicationBuilder(Instance.class)
			.web(WebApplicationType.NONE)
			.initializers(
					(context) -> context.getBeanFactory().registerSingleton("meterRegistry", new SimpleMeterRegistry()))
			.properties("spring.datasource.url=" + database, "spring.datasource.username=postgres",
					"spring.datasource.password=postgres",
					"spring.kafka.bootstrap-servers=" + kafka.getBrokersAsString(), "spring.mail.host=127.0.0.1",
					"spring.mail.port=" + mail.getSmtp().getPort(), "spring.task.scheduling.pool.size=4",
					"ccm.delivery.kafka.partitions=2", "ccm.campaigns.partitions=2",
					"ccm.campaigns.fan-out-interval=PT0.05S", "ccm.campaigns.coordinate-interval=PT0.2S",
					"ccm.delivery.marketing.quiet-channels=PORTAL", "ccm.delivery.marketing.max-per-day=100",
					"ccm.delivery.marketing.max-per-week=100", "ccm.tracking.base-url=https://ccm.example.com",
					"ccm.tracking.signing-secret=campaign-test-signing-secret-0123456789abcdef")
			.run();
		this.instances.add(instance);
		return instance;
	}

	/**
	 * The application as a replica runs it, without the test configurations on the class
	 * path (they would give each instance a database of its own).
	 */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	@ConfigurationPropertiesScan("org.ccm")
	@ComponentScan(basePackages = "org.ccm", excludeFilters = @ComponentScan.Filter(type = FilterType.ANNOTATION,
			classes = { TestConfiguration.class, SpringBootConfiguration.class }))
	static class Instance {

	}

}
