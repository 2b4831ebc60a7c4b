package org.ccm.tracking;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.Folder;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.MimeMessage;
import org.ccm.core.Channel;
import org.ccm.core.ConsentChange;
import org.ccm.core.ConsentState;
import org.ccm.core.ContactState;
import org.ccm.core.CustomerDetails;
import org.ccm.core.CustomerProfile;
import org.ccm.core.Customers;
import org.ccm.core.Purpose;
import org.ccm.delivery.DeliveryStatus;
import org.ccm.tracking.TrackingToken.Delivery;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Delivery status notifications and complaints read from a real IMAP mailbox (GreenMail),
 * as Postfix and mailbox providers send them.
 */
@TrackingIntegrationTest
class BounceMailboxTests {

	static final String MAILBOX = "bounces@ccm.example.com";

	@RegisterExtension
	static GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort());

	@Autowired
	Bounces bounces;

	@Autowired
	Customers customers;

	@Autowired
	SentDeliveries sent;

	@Autowired
	RecordedInteractions recorded;

	@Autowired
	JdbcClient jdbc;

	GreenMailUser user;

	BounceMailbox mailbox;

	@BeforeEach
	void mailbox() {
		user = greenMail.setUser(MAILBOX, "bounces", "secret");
		BounceProperties.Mailbox imap = new BounceProperties.Mailbox(true, "localhost", greenMail.getImap().getPort(),
				false, "bounces", "secret", "INBOX", "Processed", "Unreadable", Duration.ofMinutes(1), 200,
				Duration.ofSeconds(10));
		mailbox = new BounceMailbox(bounces, new BounceProperties(imap, 3, Duration.ofDays(7),
				new BounceProperties.Webhook(null, Duration.ofMinutes(5))), Clock.systemUTC());
	}

	@Test
	void aPostfixHardBounceFailsTheDeliveryAndMarksTheAddressBounced() throws Exception {
		CustomerProfile customer = customer();
		UUID deliveryId = sentEmail(customer);
		deliver("postfix-hard-bounce.eml", deliveryId, customer.email().value(), "hard-1-" + deliveryId);

		BounceMailbox.Poll poll = mailbox.poll();

		assertThat(poll).isEqualTo(new BounceMailbox.Poll(1, 1, 0));
		assertThat(emailState(customer)).isEqualTo(ContactState.BOUNCED);
		assertThat(recorded.of(customer.id())).anySatisfy((interaction) -> {
			assertThat(interaction.type()).isEqualTo("BOUNCED");
			assertThat(interaction.deliveryId()).isEqualTo(deliveryId);
			assertThat(interaction.detail()).containsEntry("status", "5.1.1")
				.containsEntry("recipient", customer.email().value());
			assertThat(interaction.detail().get("detail")).contains("User unknown in virtual mailbox table");
		});
		assertThat(messages("INBOX")).isZero();
		assertThat(messages("Processed")).isEqualTo(1);
	}

	@Test
	void theSameReportReadTwiceCountsOnce() throws Exception {
		CustomerProfile customer = customer();
		UUID deliveryId = sentEmail(customer);
		// a poll that died after recording and before moving leaves the report behind
		deliver("postfix-delayed.eml", deliveryId, customer.email().value(), "again-" + deliveryId);
		deliver("postfix-delayed.eml", deliveryId, customer.email().value(), "again-" + deliveryId);
		deliver("postfix-delayed.eml", deliveryId, customer.email().value(), "again-" + deliveryId);

		assertThat(mailbox.poll()).isEqualTo(new BounceMailbox.Poll(3, 3, 0));

		assertThat(softBounces(customer)).isEqualTo(1);
		assertThat(emailState(customer)).as("one soft bounce, read three times").isEqualTo(ContactState.UNVERIFIED);
		assertThat(messages("Processed")).isEqualTo(3);
	}

	@Test
	void softBouncesSuppressTheAddressOnlyOnceTheLimitIsReached() throws Exception {
		CustomerProfile customer = customer();
		UUID deliveryId = sentEmail(customer);
		deliver("postfix-delayed.eml", deliveryId, customer.email().value(), "soft-1-" + deliveryId);
		deliver("postfix-delayed.eml", deliveryId, customer.email().value(), "soft-2-" + deliveryId);
		mailbox.poll();
		assertThat(emailState(customer)).isEqualTo(ContactState.UNVERIFIED);
		assertThat(recorded.of(customer.id())).filteredOn((interaction) -> interaction.type().equals("SOFT_BOUNCED"))
			.hasSize(2)
			.allSatisfy((interaction) -> assertThat(interaction.detail()).containsEntry("status", "4.2.2"));

		deliver("postfix-delayed.eml", deliveryId, customer.email().value(), "soft-3-" + deliveryId);
		mailbox.poll();

		assertThat(emailState(customer)).isEqualTo(ContactState.SUPPRESSED);
		assertThat(recorded.of(customer.id())).as("a soft bounce does not fail the delivery")
			.noneMatch((interaction) -> interaction.type().equals("BOUNCED"));
	}

	@Test
	void aProviderBounceWithoutVerpIsMatchedByTheReturnedMessagesDeliveryHeader() throws Exception {
		CustomerProfile customer = customer();
		UUID deliveryId = sentEmail(customer);
		deliver("provider-hard-bounce.eml", deliveryId, customer.email().value(), "gm-" + deliveryId);

		assertThat(mailbox.poll()).isEqualTo(new BounceMailbox.Poll(1, 1, 0));

		assertThat(emailState(customer)).isEqualTo(ContactState.BOUNCED);
	}

	@Test
	void aComplaintMarksTheAddressAndWithdrawsMarketingConsentForEmail() throws Exception {
		CustomerProfile customer = customer();
		assertThat(marketingEmailConsent(customer)).isTrue();
		UUID deliveryId = sentEmail(customer);
		deliver("provider-complaint.eml", deliveryId, customer.email().value(), "arf-" + deliveryId);

		assertThat(mailbox.poll()).isEqualTo(new BounceMailbox.Poll(1, 1, 0));

		assertThat(emailState(customer)).isEqualTo(ContactState.COMPLAINED);
		assertThat(marketingEmailConsent(customer)).isFalse();
		assertThat(customers.consentHistory(customer.id())).anySatisfy((consent) -> {
			assertThat(consent.channel()).isEqualTo(Channel.EMAIL);
			assertThat(consent.granted()).isFalse();
			assertThat(consent.source()).isEqualTo("spam complaint");
		});
		assertThat(recorded.of(customer.id())).anySatisfy((interaction) -> {
			assertThat(interaction.type()).isEqualTo("COMPLAINED");
			assertThat(interaction.detail()).containsEntry("detail", "feedback abuse");
		});
	}

	@Test
	void messagesThatAreNoReadableReportWaitInTheUnreadableFolderAndAreCounted() throws Exception {
		double before = unreadableCount();
		deliver("malformed-report.eml", UUID.randomUUID(), "someone@example.org", "broken-" + UUID.randomUUID());
		deliver("out-of-office.eml", UUID.randomUUID(), "ada@example.org", "ooo-" + UUID.randomUUID());

		assertThat(mailbox.poll()).isEqualTo(new BounceMailbox.Poll(2, 0, 2));

		assertThat(messages("INBOX")).isZero();
		assertThat(messages("Unreadable")).isEqualTo(2);
		assertThat(messages("Processed")).isZero();
		assertThat(unreadableCount() - before).isEqualTo(2.0);
	}

	@Test
	void aBounceOfADeliveryThisPlatformDidNotSendWaitsForAPerson() throws Exception {
		deliver("postfix-hard-bounce.eml", UUID.randomUUID(), "stranger@example.org", "stray-" + UUID.randomUUID());

		assertThat(mailbox.poll()).isEqualTo(new BounceMailbox.Poll(1, 0, 1));

		assertThat(messages("Unreadable")).isEqualTo(1);
	}

	@Test
	void aBounceOfAnAddressTheCustomerHasSinceReplacedLeavesTheNewAddressAlone() throws Exception {
		CustomerProfile customer = customer();
		UUID deliveryId = sentEmail(customer);
		deliver("postfix-hard-bounce.eml", deliveryId, "old-address@example.org", "old-" + deliveryId);

		mailbox.poll();

		assertThat(emailState(customer)).isEqualTo(ContactState.UNVERIFIED);
	}

	@Test
	void aHardBounceOfASentDeliveryMovesItOffSent() throws Exception {
		Delivery invoice = sent.portalInvoice(customer());
		deliver("postfix-hard-bounce.eml", invoice.deliveryId(), "portal@example.org",
				"portal-" + invoice.deliveryId());

		mailbox.poll();

		// failed for good; a transactional send then falls back to the customer's next
		// channel
		assertThat(sent.status(invoice)).isIn(DeliveryStatus.PERMANENT_FAILURE, DeliveryStatus.FELL_BACK);
	}

	private void deliver(String sample, UUID deliveryId, String recipient, String messageId)
			throws IOException, MessagingException {
		user.deliver(BounceMessagesTests.message(sample, deliveryId, recipient, messageId, "", ""));
	}

	private int messages(String folder) throws MessagingException {
		Store store = Session.getInstance(new Properties()).getStore("imap");
		try {
			store.connect("localhost", greenMail.getImap().getPort(), "bounces", "secret");
			Folder opened = store.getFolder(folder);
			return opened.exists() ? opened.getMessageCount() : 0;
		}
		finally {
			store.close();
		}
	}

	private CustomerProfile customer() {
		String email = "bounced-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
		return customers.upsert("B-" + UUID.randomUUID(),
				new CustomerDetails("Bounced Customer", Locale.UK, ZoneId.of("Europe/London"), email, null, null,
						Map.of(), Map.of(Purpose.MARKETING, List.of(Channel.EMAIL)), null,
						List.of(new ConsentChange(Channel.EMAIL, Purpose.MARKETING, true, "test"))));
	}

	private UUID sentEmail(CustomerProfile customer) {
		return sent.announced(customer, Channel.EMAIL, Instant.now()).deliveryId();
	}

	private ContactState emailState(CustomerProfile customer) {
		return customers.findById(customer.id()).orElseThrow().email().state();
	}

	private boolean marketingEmailConsent(CustomerProfile customer) {
		return customers.findById(customer.id())
			.orElseThrow()
			.consents()
			.stream()
			.filter((consent) -> consent.channel() == Channel.EMAIL && consent.purpose() == Purpose.MARKETING)
			.anyMatch(ConsentState::granted);
	}

	private long softBounces(CustomerProfile customer) {
		return jdbc.sql("SELECT count(*) FROM bounce WHERE customer_id = ? AND kind = 'SOFT'")
			.param(customer.id())
			.query(Long.class)
			.single();
	}

	private double unreadableCount() {
		var counter = bounces.meters().find(Bounces.METER).tags("source", "mailbox", "outcome", "unreadable").counter();
		return (counter != null) ? counter.count() : 0.0;
	}

}
