package org.ccm.admin;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import org.ccm.core.Channel;
import org.ccm.core.ContactPoint;
import org.ccm.core.ContactState;
import org.ccm.core.CustomerProfile;
import org.ccm.core.CustomerStatus;
import org.ccm.delivery.spi.ChannelSender;
import org.ccm.delivery.spi.OutgoingMessage;
import org.ccm.delivery.spi.TrackedMessage;
import org.ccm.templates.ChannelPreview;
import org.ccm.templates.ComposedDocument;
import org.ccm.templates.Previews;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Service;

/**
 * "Send me a test": a template version rendered with its sample data and sent to the
 * signed-in staff member's own address or phone, marked as a test in the subject (and the
 * {@code X-CCM-Test} header of an email). It goes straight to the provider, never through
 * the communications of a customer, so it appears on no customer's timeline and in no
 * campaign or engagement figure; the application's audit log records the request under
 * the staff member's name.
 */
@Service
class TestMessages {

	/** Marks a test email for filters and for anyone reading its headers. */
	static final String TEST_HEADER = "X-CCM-Test";

	private static final Pattern PHONE = Pattern.compile("\\+[1-9][0-9]{6,14}");

	private final JdbcClient jdbc;

	private final Previews previews;

	private final ObjectProvider<JavaMailSender> mail;

	private final List<ChannelSender> senders;

	private final TestMessageProperties properties;

	TestMessages(JdbcClient jdbc, Previews previews, ObjectProvider<JavaMailSender> mail, List<ChannelSender> senders,
			TestMessageProperties properties) {
		this.jdbc = jdbc;
		this.previews = previews;
		this.mail = mail;
		this.senders = senders;
		this.properties = properties;
	}

	/** A staff member's own addresses for test messages; either may be empty. */
	record Addresses(String email, String phone) {

		static final Addresses NONE = new Addresses("", "");

	}

	Addresses addresses(String staff) {
		return this.jdbc
			.sql("SELECT coalesce(email, ''), coalesce(phone, '') FROM staff_test_address WHERE username = ?")
			.param(staff)
			.query((rs, row) -> new Addresses(rs.getString(1), rs.getString(2)))
			.optional()
			.orElse(Addresses.NONE);
	}

	/**
	 * Keeps the staff member's addresses, or names what is wrong with them (by field) and
	 * keeps nothing.
	 */
	Map<String, String> save(String staff, String email, String phone) {
		Map<String, String> problems = new java.util.LinkedHashMap<>();
		String address = email.strip();
		String number = phone.strip().replace(" ", "");
		if (!address.isEmpty()) {
			try {
				new InternetAddress(address, true).validate();
				if (!address.contains("@")) {
					throw new AddressException("no domain");
				}
			}
			catch (AddressException ex) {
				problems.put("email", "Enter an email address in the right format, like name@example.com");
			}
		}
		if (!number.isEmpty() && !PHONE.matcher(number).matches()) {
			problems.put("phone", "Enter a phone number with its country code, like +447700900123");
		}
		if (problems.isEmpty()) {
			this.jdbc
				.sql("""
						INSERT INTO staff_test_address (username, email, phone, updated_at) VALUES (?, ?, ?, now())
						ON CONFLICT (username) DO UPDATE SET email = excluded.email, phone = excluded.phone, updated_at = now()
						""")
				.params(staff, address.isEmpty() ? null : address, number.isEmpty() ? null : number)
				.update();
		}
		return problems;
	}

	/**
	 * Sends the version, rendered for the channel with its sample data, to the staff
	 * member.
	 * @return where it went
	 * @throws IllegalStateException saying what the staff member must do first (an
	 * address to add, a channel the template lacks)
	 */
	String send(String staff, String key, int version, Channel channel) {
		Addresses addresses = addresses(staff);
		String to = (channel == Channel.EMAIL) ? addresses.email() : addresses.phone();
		if (channel != Channel.EMAIL && channel != Channel.SMS) {
			throw new IllegalStateException("Tests go by email or text message only.");
		}
		if (to.isEmpty()) {
			throw new IllegalStateException(
					"Add your own " + ((channel == Channel.EMAIL) ? "email address" : "phone number")
							+ " for test messages first, under “Your test addresses”.");
		}
		ChannelPreview rendered = this.previews.preview(key, version, null, null, List.of(channel), Locale.UK)
			.stream()
			.findFirst()
			.orElseThrow(() -> new IllegalStateException(
					"This template is not sent by " + ((channel == Channel.EMAIL) ? "email" : "text message") + "."));
		if (channel == Channel.EMAIL) {
			email(to, key, version, rendered);
		}
		else {
			sms(to, key, version, rendered);
		}
		return to;
	}

	private void email(String to, String key, int version, ChannelPreview rendered) {
		JavaMailSender sender = this.mail.getIfAvailable();
		if (sender == null) {
			throw new IllegalStateException("No mail server is configured, so no test email can be sent.");
		}
		try {
			MimeMessage message = sender.createMimeMessage();
			MimeMessageHelper helper = new MimeMessageHelper(message, true, StandardCharsets.UTF_8.name());
			helper.setFrom(this.properties.from());
			helper.setTo(to);
			helper.setSubject(this.properties.prefix() + ((rendered.subject() != null) ? rendered.subject() : key));
			String text = (rendered.text() != null) ? rendered.text() : "";
			if (rendered.html() != null) {
				helper.setText(text, rendered.html());
			}
			else {
				helper.setText(text);
			}
			if (rendered.pdf() != null) {
				helper.addAttachment(key + "-v" + version + "-test.pdf", new ByteArrayResource(rendered.pdf()),
						"application/pdf");
			}
			message.setHeader(TEST_HEADER, key + " version " + version);
			sender.send(message);
		}
		catch (MessagingException ex) {
			throw new IllegalStateException("The test email could not be built: " + ex.getMessage(), ex);
		}
	}

	private void sms(String to, String key, int version, ChannelPreview rendered) {
		ChannelSender sender = this.senders.stream()
			.filter((candidate) -> candidate.channel() == Channel.SMS)
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("No SMS provider is configured."));
		Instant now = Instant.now();
		// a recipient made up for the one message: the staff member is no customer
		CustomerProfile recipient = new CustomerProfile(UUID.randomUUID(), "staff-test", "Test", Locale.UK,
				ZoneOffset.UTC, CustomerStatus.ACTIVE, null, new ContactPoint(to, ContactState.VERIFIED), null,
				Map.of(), Map.of(), null, List.of(), now, now);
		ComposedDocument document = new ComposedDocument(key, version, Channel.SMS, Locale.UK, null, null,
				this.properties.prefix() + Optional.ofNullable(rendered.text()).orElse(""), null, List.of());
		sender.send(new OutgoingMessage(new TrackedMessage(UUID.randomUUID(), UUID.randomUUID(), recipient.id()),
				recipient, document));
	}

}
