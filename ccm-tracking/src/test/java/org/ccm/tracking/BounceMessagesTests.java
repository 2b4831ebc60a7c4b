package org.ccm.tracking;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import org.ccm.tracking.Bounce.Kind;
import org.ccm.tracking.BounceMessages.UnreadableReportException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Reading delivery status notifications (RFC 3464) and feedback reports (RFC 5965) as
 * Postfix and mailbox providers write them.
 */
class BounceMessagesTests {

	static final UUID DELIVERY = UUID.fromString("0b7e6a52-3c1d-4f8e-9a60-5d2f1c7b9e11");

	@Test
	void aPostfixHardBounceIsHardAndFoundThroughTheVerpAddress() throws Exception {
		Bounce bounce = read("postfix-hard-bounce.eml").orElseThrow();

		assertThat(bounce.kind()).isEqualTo(Kind.HARD);
		assertThat(bounce.deliveryId()).isEqualTo(DELIVERY);
		assertThat(bounce.recipient()).isEqualTo("ada@example.org");
		assertThat(bounce.status()).isEqualTo("5.1.1");
		assertThat(bounce.detail()).startsWith("550 5.1.1 <ada@example.org>: Recipient address rejected:")
			.contains("User unknown");
		assertThat(bounce.reference()).isEqualTo("mail:<report-1@mail.ccm.example.com>");
	}

	@Test
	void aPostfixDelayIsSoft() throws Exception {
		Bounce bounce = read("postfix-delayed.eml").orElseThrow();

		assertThat(bounce.kind()).isEqualTo(Kind.SOFT);
		assertThat(bounce.status()).isEqualTo("4.2.2");
		assertThat(bounce.deliveryId()).isEqualTo(DELIVERY);
	}

	@Test
	void aProviderBounceWithoutVerpIsFoundThroughTheReturnedMessagesHeader() throws Exception {
		Bounce bounce = read("provider-hard-bounce.eml").orElseThrow();

		assertThat(bounce.kind()).isEqualTo(Kind.HARD);
		assertThat(bounce.deliveryId()).isEqualTo(DELIVERY);
		assertThat(bounce.status()).isEqualTo("5.1.1");
	}

	@Test
	void anAbuseFeedbackReportIsAComplaint() throws Exception {
		Bounce bounce = read("provider-complaint.eml").orElseThrow();

		assertThat(bounce.kind()).isEqualTo(Kind.COMPLAINT);
		assertThat(bounce.deliveryId()).isEqualTo(DELIVERY);
		assertThat(bounce.recipient()).isEqualTo("ada@example.org");
		assertThat(bounce.detail()).isEqualTo("feedback abuse");
	}

	@Test
	void aNotSpamFeedbackReportsNothing() throws Exception {
		assertThat(read("provider-complaint.eml", "Feedback-Type: abuse", "Feedback-Type: not-spam")).isEmpty();
	}

	@Test
	void aSuccessNotificationReportsNothing() throws Exception {
		assertThat(read("postfix-delayed.eml", "Action: delayed", "Action: delivered")).isEmpty();
	}

	@Test
	void aFailureWithATemporaryStatusIsSoft() throws Exception {
		// Postfix gives up on a 4.x.x after its queue lifetime: the address may still be
		// good
		assertThat(read("postfix-delayed.eml", "Action: delayed", "Action: failed").orElseThrow().kind())
			.isEqualTo(Kind.SOFT);
	}

	@Test
	void aMalformedReportAndAPlainReplyAreUnreadable() {
		assertThatExceptionOfType(UnreadableReportException.class).isThrownBy(() -> read("malformed-report.eml"))
			.withMessageContaining("Action");
		assertThatExceptionOfType(UnreadableReportException.class).isThrownBy(() -> read("out-of-office.eml"))
			.withMessageContaining("text/plain");
	}

	@Test
	void verpAddressesCarryTheDeliveryId() {
		assertThat(BounceMessages.verp("<bounces+" + DELIVERY + "@ccm.example.com>")).contains(DELIVERY);
		assertThat(BounceMessages.verp("Bounces+" + DELIVERY.toString().toUpperCase() + "@CCM.example.com"))
			.contains(DELIVERY);
		assertThat(BounceMessages.verp("bounces@ccm.example.com")).isEmpty();
		assertThat(BounceMessages.verp("bounces+not-a-delivery@ccm.example.com")).isEmpty();
	}

	static Optional<Bounce> read(String sample) throws Exception {
		return read(sample, "", "");
	}

	static Optional<Bounce> read(String sample, String replace, String with) throws Exception {
		return BounceMessages.read(message(sample, DELIVERY, "ada@example.org", "report-1", replace, with));
	}

	static MimeMessage message(String sample, UUID deliveryId, String recipient, String messageId, String replace,
			String with) throws IOException, MessagingException {
		String text;
		try (InputStream in = BounceMessagesTests.class.getResourceAsStream("/bounces/" + sample)) {
			text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		if (!replace.isEmpty()) {
			text = text.replace(replace, with);
		}
		text = text.replace("${delivery}", deliveryId.toString())
			.replace("${recipient}", recipient)
			.replace("${messageId}", messageId)
			.replace("\r\n", "\n")
			.replace("\n", "\r\n");
		return new MimeMessage(Session.getInstance(new Properties()),
				new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
	}

}
