package org.ccm.tracking;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.ccm.core.testing.PostgresTestConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.event.RecordApplicationEvents;

/**
 * The whole platform below the admin UI on real PostgreSQL and Kafka; one shared context
 * for every test class of this module.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(classes = TrackingTestApplication.class,
		properties = { "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
				"ccm.tracking.base-url=https://ccm.example.com",
				"ccm.tracking.signing-secret=" + TrackingIntegrationTest.SECRET,
				"ccm.tracking.twilio.auth-token=" + TrackingIntegrationTest.TWILIO_TOKEN,
				"ccm.tracking.bounces.webhook.secret=" + TrackingIntegrationTest.BOUNCE_WEBHOOK_SECRET,
				// the timing rules for scanner clicks have tests of their own; others
				// click
				// right after sending
				"ccm.tracking.machine.click-after-sending=0s", "ccm.tracking.machine.click-burst=0s",
				// tests send status webhooks themselves; the receiver is a local http
				// server
				"ccm.tracking.webhooks.enabled=false", "ccm.tracking.webhooks.allow-plain-http=true" })
@AutoConfigureMockMvc
@Import(PostgresTestConfiguration.class)
@EmbeddedKafka(partitions = 1)
@RecordApplicationEvents
@interface TrackingIntegrationTest {

	String SECRET = "tracking-test-signing-secret-0123456789abcdef";

	String TWILIO_TOKEN = "twilio-test-auth-token";

	String BOUNCE_WEBHOOK_SECRET = "bounce-webhook-test-secret";

}
