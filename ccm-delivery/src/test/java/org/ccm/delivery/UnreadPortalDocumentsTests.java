package org.ccm.delivery;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.ccm.core.Channel;
import org.ccm.core.CustomerProfile;
import org.ccm.core.Purpose;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An invoice left unread in the portal goes to print, once; a read one does not.
 */
class UnreadPortalDocumentsTests extends DeliveryIntegrationTest {

	@Autowired
	UnreadPortalDocuments unread;

	@Autowired
	PortalInbox inbox;

	@Autowired
	JdbcClient jdbc;

	@Test
	void anInvoiceUnreadForTwoWeeksIsPrintedOnce() {
		CustomerProfile reader = reachableEverywhere(unique("reader"), List.of(Channel.PORTAL));
		CustomerProfile ignorer = reachableEverywhere(unique("ignorer"), List.of(Channel.PORTAL));
		UUID read = send(reader);
		UUID ignored = send(ignorer);
		settled(read);
		settled(ignored);
		this.inbox.html(reader.id(), this.inbox.documents(reader.id()).get(0).id());
		this.jdbc.sql("""
				UPDATE portal_document SET delivered_at = now() - interval '15 days'
				 WHERE communication_id IN (?, ?)""").params(read, ignored).update();

		this.unread.printUnread();
		this.unread.printUnread();

		CommunicationView printed = settled(ignored);
		assertThat(printed.deliveries()).extracting(DeliveryView::channel)
			.containsExactly(Channel.PORTAL, Channel.PRINT);
		DeliveryView print = on(printed, Channel.PRINT);
		assertThat(print.status()).isEqualTo(DeliveryStatus.SENT);
		assertThat(print.history().get(0).reason()).isEqualTo("unread in the portal after 336h");
		assertThat(settled(read).deliveries()).extracting(DeliveryView::channel).containsExactly(Channel.PORTAL);
	}

	private UUID send(CustomerProfile customer) {
		return this.communications
			.accept(new SendRequest(customer.externalId(), "invoice", Purpose.TRANSACTIONAL,
					Map.of("invoiceNumber", "INV-" + UUID.randomUUID()), null), unique("key"), "client-a")
			.communicationId();
	}

}
