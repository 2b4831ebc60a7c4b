package org.ccm.delivery;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.ccm.core.Channel;
import org.ccm.core.CustomerProfile;
import org.ccm.core.Purpose;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A failure after the provider took the message (the archive copy cannot be written) is
 * recorded beside the sent delivery and never sends the message again.
 */
class FollowUpFailureTests extends DeliveryIntegrationTest {

	@Autowired
	JdbcClient jdbc;

	@AfterEach
	void archiveWorksAgain() {
		this.jdbc.sql("DROP TRIGGER IF EXISTS refuse_archive ON archived_document").update();
	}

	@Test
	void aFailedArchiveWriteLeavesTheMessageSentOnce() throws Exception {
		this.jdbc.sql("""
				CREATE OR REPLACE FUNCTION refuse_archive() RETURNS trigger LANGUAGE plpgsql AS $$
				BEGIN RAISE EXCEPTION 'archive volume full'; END $$""").update();
		this.jdbc.sql("""
				CREATE TRIGGER refuse_archive BEFORE INSERT ON archived_document
				FOR EACH ROW EXECUTE FUNCTION refuse_archive()""").update();
		CustomerProfile customer = reachableEverywhere(unique("archive"), List.of(Channel.EMAIL));
		UUID id = this.communications
			.accept(new SendRequest(customer.externalId(), "invoice", Purpose.TRANSACTIONAL,
					Map.of("invoiceNumber", "INV-" + UUID.randomUUID()), null), unique("key"), "client-a")
			.communicationId();

		// the delivery is SENT before the archive copy is written: wait for the follow-up
		// failure too
		settled(id);
		DeliveryView email = await().atMost(Duration.ofSeconds(30))
			.until(() -> on(this.communications.find(id).orElseThrow(), Channel.EMAIL),
					(view) -> view.followUpFailure() != null);
		assertThat(email.status()).isEqualTo(DeliveryStatus.SENT);
		assertThat(email.history()).extracting(StatusChange::status)
			.containsExactly(DeliveryStatus.QUEUED, DeliveryStatus.SENDING, DeliveryStatus.SENT);
		assertThat(email.followUpFailure()).contains("archiving failed").contains("archive volume full");
		Thread.sleep(1000);
		assertThat(ChannelDeliveryTests.receivedBy(customer.email().value())).hasSize(1);
		assertThat(this.communications.document(id, Channel.EMAIL)).isEmpty();
	}

}
