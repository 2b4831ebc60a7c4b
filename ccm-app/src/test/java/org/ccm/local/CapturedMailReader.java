package org.ccm.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import org.ccm.admin.CapturedMessages;

final class CapturedMailReader {

	private CapturedMailReader() {
	}

	static CapturedMessages.CapturedMail read(MimeMessage message) {
		try {
			ByteArrayOutputStream raw = new ByteArrayOutputStream();
			message.writeTo(raw);
			Instant received = message.getReceivedDate() != null ? message.getReceivedDate().toInstant()
					: (message.getSentDate() != null ? message.getSentDate().toInstant() : Instant.now());
			Address[] from = message.getFrom();
			Address[] to = message.getAllRecipients();
			return new CapturedMessages.CapturedMail(received,
					from != null && from.length > 0 ? from[0].toString() : "",
					to != null ? Arrays.stream(to).map(Address::toString).toList() : List.of(),
					message.getSubject() != null ? message.getSubject() : "",
					raw.toString(java.nio.charset.StandardCharsets.UTF_8));
		}
		catch (MessagingException | IOException ex) {
			throw new IllegalStateException("captured mail could not be read", ex);
		}
	}

}
