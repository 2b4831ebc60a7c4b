package org.ccm.delivery.email;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import jakarta.activation.DataHandler;
import jakarta.mail.MessagingException;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.util.ByteArrayDataSource;
import org.apache.commons.io.output.UnsynchronizedByteArrayOutputStream;
import org.eclipse.angus.mail.smtp.SMTPMessage;
import org.jspecify.annotations.Nullable;

/**
 * One outgoing email as MIME: {@code multipart/alternative} text and HTML, inside
 * {@code multipart/mixed} with the PDF when there is one. It keeps the bytes the SMTP
 * server received while they are written, so the archived {@code .eml} costs no second
 * rendering of the message.
 *
 * <p>
 * An {@code SMTPMessage}, so that its envelope sender can name the delivery (VERP). Built
 * with Jakarta Mail directly rather than Spring's {@code MimeMessageHelper}, which reads
 * the {@code mime.types} table anew for every message it wraps.
 */
final class EmailMessage extends SMTPMessage {

	static {
		// Jakarta Mail 2.1 finds its stream provider with a ServiceLoader scan of the
		// class
		// path on every part it creates or writes; naming the provider makes that a class
		// lookup (the property is the API's documented way of choosing one)
		System.getProperties()
			.putIfAbsent("jakarta.mail.util.StreamProvider", "org.eclipse.angus.mail.util.MailStreamProvider");
	}

	private @Nullable UnsynchronizedByteArrayOutputStream written;

	private EmailMessage(Session session) {
		super(session);
	}

	static EmailMessage of(Session session, String from, String to, String subject, String text, @Nullable String html,
			@Nullable Attachment attachment) throws MessagingException {
		EmailMessage message = new EmailMessage(session);
		message.setFrom(new InternetAddress(from));
		message.setRecipient(RecipientType.TO, new InternetAddress(to));
		message.setSubject(subject, StandardCharsets.UTF_8.name());
		MimeMultipart body;
		if (html != null) {
			body = new MimeMultipart("alternative");
			body.addBodyPart(textPart(text, "plain"));
			body.addBodyPart(textPart(html, "html"));
		}
		else {
			body = null;
		}
		if (attachment == null) {
			if (body != null) {
				message.setContent(body);
			}
			else {
				message.setText(text, StandardCharsets.UTF_8.name());
			}
			return message;
		}
		MimeMultipart mixed = new MimeMultipart("mixed");
		if (body != null) {
			MimeBodyPart alternatives = new MimeBodyPart();
			alternatives.setContent(body);
			mixed.addBodyPart(alternatives);
		}
		else {
			mixed.addBodyPart(textPart(text, "plain"));
		}
		MimeBodyPart file = new MimeBodyPart();
		file.setDataHandler(new DataHandler(new ByteArrayDataSource(attachment.content(), attachment.contentType())));
		file.setFileName(attachment.filename());
		file.setDisposition(Part.ATTACHMENT);
		mixed.addBodyPart(file);
		message.setContent(mixed);
		return message;
	}

	/**
	 * A text part as prepared bytes: encoded to UTF-8 and to its transfer encoding once,
	 * here, so that writing the message copies bytes instead of going through the
	 * activation framework's content handlers and a character encoder per write. The
	 * headers and bytes are those {@code MimeBodyPart.setText} gives: the same transfer
	 * encoding chosen by Jakarta Mail's own rule, the same encoder.
	 */
	static MimeBodyPart textPart(String content, String subtype) throws MessagingException {
		byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
		String type = "text/" + subtype + "; charset=UTF-8";
		String encoding = MimeUtility.getEncoding(new ByteArrayDataSource(bytes, type));
		// Jakarta Mail's encoders write one byte at a time: into the JDK's
		// ByteArrayOutputStream every byte took its lock
		UnsynchronizedByteArrayOutputStream encoded = buffer(bytes.length + bytes.length / 8 + 64);
		try {
			OutputStream encoder = MimeUtility.encode(encoded, encoding);
			encoder.write(bytes);
			// flush, not close: closing a base64 encoder adds a line break that writing
			// the part does not
			encoder.flush();
		}
		catch (IOException ex) {
			throw new MessagingException("could not encode the " + subtype + " part", ex);
		}
		InternetHeaders headers = new InternetHeaders();
		headers.setHeader("Content-Type", type);
		headers.setHeader("Content-Transfer-Encoding", encoding);
		return new MimeBodyPart(headers, encoded.toByteArray());
	}

	/**
	 * The message as it was last written to the server; written once more when it was
	 * never sent.
	 */
	byte[] sentBytes() throws IOException, MessagingException {
		UnsynchronizedByteArrayOutputStream bytes = this.written;
		if (bytes == null) {
			bytes = buffer(8192);
			writeTo(bytes);
		}
		return bytes.toByteArray();
	}

	@Override
	public void writeTo(OutputStream out, String[] ignoreList) throws IOException, MessagingException {
		// the transport writes the message once, leaving out only headers we never set
		// (Bcc, Content-Length): a copy of those bytes is the archived message
		UnsynchronizedByteArrayOutputStream copy = buffer(8192);
		super.writeTo(new FilterOutputStream(out) {

			@Override
			public void write(int b) throws IOException {
				this.out.write(b);
				copy.write(b);
			}

			@Override
			public void write(byte[] b, int off, int len) throws IOException {
				this.out.write(b, off, len);
				copy.write(b, off, len);
			}

		}, ignoreList);
		this.written = copy;
	}

	private static UnsynchronizedByteArrayOutputStream buffer(int size) {
		return UnsynchronizedByteArrayOutputStream.builder().setBufferSize(size).get();
	}

	record Attachment(String filename, String contentType, byte[] content) {
	}

}
