package org.ccm.tracking;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeUtility;
import org.ccm.tracking.Bounce.Kind;
import org.jspecify.annotations.Nullable;

/**
 * Reads the bounce mailbox's messages: delivery status notifications (RFC 3464,
 * {@code multipart/report; report-type=delivery-status}) and complaints in the Abuse
 * Reporting Format (RFC 5965, {@code report-type=feedback-report}).
 * <p>
 * A report finds its delivery through the VERP return path the message was sent with
 * ({@code bounces+<delivery id>@domain}), which comes back as the address the bounce was
 * delivered to, or as the complaint's {@code Original-Mail-From}; failing that through
 * the {@code X-CCM-Delivery} header of the returned original message.
 */
final class BounceMessages {

	static final String DELIVERY_HEADER = "X-CCM-Delivery";

	private static final Pattern VERP = Pattern.compile(
			"[^\\s<>@+\"]+\\+([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})@",
			Pattern.CASE_INSENSITIVE);

	// the headers that carry the envelope recipient of the bounce, most specific first
	private static final List<String> ENVELOPE_HEADERS = List.of("Delivered-To", "X-Original-To", "Envelope-To",
			"X-Envelope-To", "To");

	// the status part is a few hundred bytes; a larger one is not a report we can read
	private static final int MAX_REPORT_BYTES = 64 * 1024;

	// blank lines separate the per-message fields from each recipient's fields
	private static final Pattern BLANK_LINE = Pattern.compile("\\r?\\n[ \\t]*\\r?\\n");

	private static final Pattern STATUS = Pattern.compile("[245]\\.\\d{1,3}\\.\\d{1,3}");

	private BounceMessages() {
	}

	/**
	 * The bounce or complaint the message reports; empty for a report that reports
	 * neither (a success notification, a "not spam" feedback).
	 * @throws UnreadableReportException when the message is not a report this platform
	 * reads
	 */
	static Optional<Bounce> read(Message message) throws UnreadableReportException {
		try {
			ContentType type = new ContentType(message.getContentType());
			if (!type.match("multipart/report")) {
				throw new UnreadableReportException("not a multipart/report but " + type.getBaseType());
			}
			String reportType = String.valueOf(type.getParameter("report-type")).toLowerCase(Locale.ROOT);
			if (!(message.getContent() instanceof Multipart parts)) {
				throw new UnreadableReportException("a report without parts");
			}
			Report report = Report.of(parts);
			String reference = reference(message);
			return switch (reportType) {
				case "delivery-status", "global-delivery-status" -> deliveryStatus(message, report, reference);
				case "feedback-report" -> feedback(report, reference);
				default -> throw new UnreadableReportException("a report of type " + reportType);
			};
		}
		catch (MessagingException | IOException | RuntimeException ex) {
			if (ex instanceof UnreadableReportException unreadable) {
				throw unreadable;
			}
			throw new UnreadableReportException("a malformed message: " + ex.getMessage(), ex);
		}
	}

	private static Optional<Bounce> deliveryStatus(Message message, Report report, String reference)
			throws MessagingException, UnreadableReportException {
		if (report.fields().size() < 2) {
			throw new UnreadableReportException("a delivery status without recipient fields");
		}
		InternetHeaders perMessage = report.fields().get(0);
		for (InternetHeaders recipient : report.fields().subList(1, report.fields().size())) {
			String action = value(recipient, "Action");
			String status = status(value(recipient, "Status"));
			if (action == null) {
				throw new UnreadableReportException("a recipient without an Action field");
			}
			Kind kind = switch (action.toLowerCase(Locale.ROOT)) {
				case "failed" -> (status != null && status.startsWith("5")) ? Kind.HARD : Kind.SOFT;
				case "delayed" -> Kind.SOFT;
				// delivered, relayed, expanded: no bounce
				default -> null;
			};
			if (kind == null) {
				continue;
			}
			UUID deliveryId = verp(envelope(message)).or(() -> uuid(value(perMessage, "Original-Envelope-Id")))
				.or(() -> report.originalDelivery())
				.orElse(null);
			return Optional.of(new Bounce(reference, kind, deliveryId, address(value(recipient, "Final-Recipient")),
					status, typed(value(recipient, "Diagnostic-Code"))));
		}
		return Optional.empty();
	}

	private static Optional<Bounce> feedback(Report report, String reference) throws UnreadableReportException {
		if (report.fields().isEmpty()) {
			throw new UnreadableReportException("a feedback report without fields");
		}
		InternetHeaders fields = report.fields().get(0);
		String feedbackType = value(fields, "Feedback-Type");
		if (feedbackType == null) {
			throw new UnreadableReportException("a feedback report without Feedback-Type");
		}
		String type = feedbackType.toLowerCase(Locale.ROOT);
		// "not-spam" takes a complaint back, "auth-failure" and "virus" are about the
		// message, not the recipient's wish
		if (!type.equals("abuse") && !type.equals("fraud") && !type.equals("other")) {
			return Optional.empty();
		}
		UUID deliveryId = verp(value(fields, "Original-Mail-From")).or(report::originalDelivery).orElse(null);
		String recipient = address(value(fields, "Original-Rcpt-To"));
		if (recipient == null) {
			recipient = report.originalRecipient();
		}
		return Optional.of(new Bounce(reference, Kind.COMPLAINT, deliveryId, recipient, null, "feedback " + type));
	}

	private static @Nullable String envelope(Message message) throws MessagingException {
		StringBuilder all = new StringBuilder();
		for (String name : ENVELOPE_HEADERS) {
			String[] values = message.getHeader(name);
			if (values != null) {
				for (String value : values) {
					all.append(value).append(' ');
				}
			}
		}
		return all.toString();
	}

	static Optional<UUID> verp(@Nullable String addresses) {
		if (addresses == null) {
			return Optional.empty();
		}
		Matcher matcher = VERP.matcher(addresses);
		return matcher.find() ? uuid(matcher.group(1)) : Optional.empty();
	}

	static Optional<UUID> uuid(@Nullable String value) {
		if (value == null || value.isBlank()) {
			return Optional.empty();
		}
		try {
			return Optional.of(UUID.fromString(value.strip()));
		}
		catch (IllegalArgumentException ex) {
			return Optional.empty();
		}
	}

	private static String reference(Message message) throws MessagingException, IOException {
		String[] ids = message.getHeader("Message-ID");
		if (ids != null && ids.length > 0 && !ids[0].isBlank()) {
			return "mail:" + ids[0].strip();
		}
		// without a Message-ID the content itself tells a second reading apart
		try {
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			try (InputStream in = message.getInputStream()) {
				digest.update(in.readNBytes(1024 * 1024));
			}
			return "mail-sha256:" + HexFormat.of().formatHex(digest.digest());
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static @Nullable String value(InternetHeaders headers, String name) {
		String value = headers.getHeader(name, ", ");
		return (value != null) ? MimeUtility.unfold(value).strip() : null;
	}

	/**
	 * The value after an address or diagnostic type: {@code rfc822; ada@example.com}.
	 */
	private static @Nullable String typed(@Nullable String value) {
		if (value == null) {
			return null;
		}
		int semicolon = value.indexOf(';');
		String typed = ((semicolon >= 0) ? value.substring(semicolon + 1) : value).strip();
		return typed.isEmpty() ? null : typed;
	}

	private static @Nullable String address(@Nullable String value) {
		String address = typed(value);
		if (address == null) {
			return null;
		}
		if (address.startsWith("<") && address.endsWith(">")) {
			address = address.substring(1, address.length() - 1);
		}
		return address.toLowerCase(Locale.ROOT);
	}

	private static @Nullable String status(@Nullable String value) {
		if (value == null) {
			return null;
		}
		Matcher matcher = STATUS.matcher(value);
		return matcher.find() ? matcher.group() : null;
	}

	/**
	 * The machine-readable part of a report, split into its field blocks, and the headers
	 * of the original message when the report returns them.
	 */
	private record Report(List<InternetHeaders> fields, @Nullable InternetHeaders original) {

		static Report of(Multipart parts) throws MessagingException, IOException {
			List<InternetHeaders> fields = new ArrayList<>();
			InternetHeaders original = null;
			for (int i = 0; i < parts.getCount(); i++) {
				BodyPart part = parts.getBodyPart(i);
				if (part.isMimeType("message/delivery-status") || part.isMimeType("message/global-delivery-status")
						|| part.isMimeType("message/feedback-report")) {
					fields.addAll(blocks(part));
				}
				else if (part.isMimeType("message/rfc822") || part.isMimeType("message/global")
						|| part.isMimeType("text/rfc822-headers") || part.isMimeType("message/global-headers")) {
					original = headers(part);
				}
			}
			return new Report(fields, original);
		}

		Optional<UUID> originalDelivery() {
			if (original == null) {
				return Optional.empty();
			}
			return uuid(value(original, DELIVERY_HEADER)).or(() -> verp(value(original, "Return-Path")));
		}

		@Nullable String originalRecipient() {
			return (original != null) ? address(value(original, "To")) : null;
		}

		private static List<InternetHeaders> blocks(Part part) throws MessagingException, IOException {
			String text;
			try (InputStream in = part.getInputStream()) {
				text = new String(in.readNBytes(MAX_REPORT_BYTES), StandardCharsets.UTF_8);
			}
			List<InternetHeaders> blocks = new ArrayList<>();
			for (String block : BLANK_LINE.split(text.strip())) {
				if (!block.isBlank()) {
					blocks.add(new InternetHeaders(
							new ByteArrayInputStream((block.strip() + "\r\n\r\n").getBytes(StandardCharsets.UTF_8))));
				}
			}
			return blocks;
		}

		private static InternetHeaders headers(Part part) throws MessagingException, IOException {
			// only the header section is needed; the body of the original is not read
			try (InputStream in = part.getInputStream()) {
				return new InternetHeaders(in);
			}
		}

	}

	/**
	 * A message in the bounce mailbox that is not a report this platform can read.
	 */
	static final class UnreadableReportException extends Exception {

		UnreadableReportException(String message) {
			super(message);
		}

		UnreadableReportException(String message, Throwable cause) {
			super(message, cause);
		}

	}

}
