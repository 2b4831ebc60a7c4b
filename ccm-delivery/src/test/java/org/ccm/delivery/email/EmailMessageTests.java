package org.ccm.delivery.email;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

import jakarta.mail.BodyPart;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The text parts written as prepared bytes are the parts Jakarta Mail writes from the
 * text itself: same headers, same transfer encoding, same bytes, and they read back as
 * the text.
 */
class EmailMessageTests {

	private static final Session SESSION = Session.getInstance(new Properties());

	@ParameterizedTest
	@ValueSource(strings = { "", "Hello Ada,\r\nyour statement is ready.\r\n", "Hello Ada,\nyour statement is ready.",
			"Zażółć gęślą jaźń: 12,30 € — merci, à bientôt", "Ελλάδα Ελλάδα Ελλάδα 日本語のテキスト",
			"trailing space \nand a tab\t\n", "<p style=\"color: #0b6e4f\">Offer = 10 % off</p>\r\n",
			"control \u0001 character", "a line ending in a space " })
	void preparedTextPartsAreTheBytesJakartaMailWrites(String text) throws Exception {
		for (String subtype : new String[] { "plain", "html" }) {
			MimeBodyPart expected = new MimeBodyPart();
			expected.setText(text, StandardCharsets.UTF_8.name(), subtype);
			MimeBodyPart prepared = EmailMessage.textPart(text, subtype);
			assertThat(written(prepared)).as(subtype).isEqualTo(written(expected));
			assertThat(prepared.getContent()).isEqualTo(text);
		}
	}

	@ParameterizedTest
	@ValueSource(ints = { 997, 998, 999, 2000 })
	void longLinesAreEncodedAsJakartaMailEncodesThem(int length) throws Exception {
		String text = "x".repeat(length) + "\r\n" + "é".repeat(length);
		MimeBodyPart expected = new MimeBodyPart();
		expected.setText(text, StandardCharsets.UTF_8.name(), "html");
		MimeBodyPart prepared = EmailMessage.textPart(text, "html");
		assertThat(written(prepared)).isEqualTo(written(expected));
		String ascii = "y".repeat(length);
		MimeBodyPart expectedAscii = new MimeBodyPart();
		expectedAscii.setText(ascii, StandardCharsets.UTF_8.name(), "plain");
		assertThat(written(EmailMessage.textPart(ascii, "plain"))).isEqualTo(written(expectedAscii));
	}

	// a part as a message writes it: inside a multipart whose headers were brought up to
	// date when the message was saved
	private static String written(BodyPart part) throws Exception {
		MimeMessage message = new MimeMessage(SESSION);
		MimeMultipart multipart = new MimeMultipart("alternative");
		multipart.addBodyPart(part);
		message.setContent(multipart);
		message.saveChanges();
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		part.writeTo(out);
		return out.toString(StandardCharsets.ISO_8859_1);
	}

}
