package org.ccm.delivery.email;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import org.ccm.core.Channel;
import org.ccm.core.ContactPoint;
import org.ccm.delivery.DeliveryProperties;
import org.ccm.delivery.ProviderFailover;
import org.ccm.delivery.spi.ChannelSender;
import org.ccm.delivery.spi.MessageTracking;
import org.ccm.delivery.spi.OutgoingMessage;
import org.ccm.delivery.spi.PermanentDeliveryFailure;
import org.ccm.delivery.spi.SentDocument;
import org.ccm.templates.ComposedDocument;
import org.eclipse.angus.mail.smtp.SMTPMessage;
import org.jsoup.nodes.Document;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.mail.MailException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.stereotype.Component;
import org.springframework.util.function.SingletonSupplier;

/**
 * Sends email over SMTP: HTML and plain-text alternatives, the PDF attached, one-click
 * unsubscribe headers (RFC 8058) and, when the tracking module is present, an open pixel
 * and signed click links. The archived {@code .eml} is the message exactly as it was
 * written to the SMTP server. Messages go over a few pooled connections, each reused for
 * many messages ({@code ccm.delivery.email.connections}).
 */
@Component
class EmailSender implements ChannelSender, DisposableBean {

	/** Lets bounces and replies be matched to the delivery. */
	static final String DELIVERY_HEADER = "X-CCM-Delivery";

	static final String PRIMARY = "smtp";

	static final String SECONDARY = "smtp-secondary";

	// looked up once they exist, not for every message
	private final SingletonSupplier<JavaMailSender> mail;

	private final SingletonSupplier<MessageTracking> tracking;

	private final DeliveryProperties.Email properties;

	private final Object connectionsLock = new Object();

	private volatile @Nullable SmtpConnections connections;

	private volatile @Nullable SmtpConnections secondaryConnections;

	private final ProviderFailover failover;

	/**
	 * Builds messages for a mail sender that is not Spring's own and sends them itself.
	 */
	private final Session standalone = Session.getInstance(new Properties());

	EmailSender(ObjectProvider<JavaMailSender> mail, ObjectProvider<MessageTracking> tracking,
			DeliveryProperties properties, ObjectProvider<MeterRegistry> meters) {
		this.mail = SingletonSupplier.ofNullable(mail::getIfAvailable);
		this.tracking = SingletonSupplier.ofNullable(tracking::getIfAvailable);
		this.properties = properties.email();
		this.failover = new ProviderFailover("email",
				this.properties.secondaryRelay().configured() ? List.of(PRIMARY, SECONDARY) : List.of(PRIMARY),
				this.properties.failover(), meters.getIfAvailable(SimpleMeterRegistry::new));
	}

	@Override
	public Channel channel() {
		return Channel.EMAIL;
	}

	@Override
	public String provider() {
		return "smtp";
	}

	@Override
	public SentDocument send(OutgoingMessage message) {
		JavaMailSender sender = this.mail.get();
		if (sender == null) {
			throw new IllegalStateException("no mail server is configured (spring.mail.host)");
		}
		ContactPoint email = message.customer().email();
		if (email == null) {
			throw new PermanentDeliveryFailure("the customer has no email address");
		}
		ComposedDocument document = message.document();
		MessageTracking tracking = this.tracking.get();
		SmtpConnections connections = connections(sender);
		try {
			Document parsed = document.parsedHtml();
			String html;
			if (tracking != null && parsed != null) {
				// the composer's parse, copied: the links are rewritten in the copy, and
				// only the copy is written out
				html = tracking.instrumentHtml(parsed.clone(), message.delivery());
			}
			else {
				html = document.html();
				if (html != null && tracking != null) {
					html = tracking.instrumentHtml(html, message.delivery());
				}
			}
			String text = (document.text() != null) ? document.text() : "";
			if (tracking != null) {
				text = tracking.instrumentText(text, message.delivery());
			}
			byte[] pdf = document.pdf();
			EmailMessage mime = EmailMessage.of((connections != null) ? connections.session() : this.standalone,
					this.properties.from(), email.value(), (document.subject() != null) ? document.subject() : "", text,
					html,
					(pdf != null) ? new EmailMessage.Attachment(document.templateKey() + ".pdf", "application/pdf", pdf)
							: null);
			returnPath(mime, message.delivery().deliveryId());
			List<String> unsubscribe = new ArrayList<>();
			if (tracking != null) {
				URI url = tracking.unsubscribeUrl(message.delivery());
				unsubscribe.add("<" + url + ">");
			}
			if (this.properties.unsubscribeMailto() != null) {
				unsubscribe.add("<mailto:" + this.properties.unsubscribeMailto() + "?subject=unsubscribe>");
			}
			if (!unsubscribe.isEmpty()) {
				mime.setHeader("List-Unsubscribe", String.join(", ", unsubscribe));
			}
			if (tracking != null) {
				mime.setHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
			}
			mime.setHeader(DELIVERY_HEADER, message.delivery().deliveryId().toString());
			ProviderFailover.Route route = this.failover.choose();
			try {
				if (route.name().equals(SECONDARY)) {
					send(secondary(sender), mime);
				}
				else if (connections != null) {
					send(connections, mime);
				}
				else {
					send(sender, mime);
				}
				route.succeeded();
			}
			catch (RuntimeException ex) {
				route.failed(ex);
				throw ex;
			}
			// the bytes the server received: Message-ID, date and boundaries were fixed
			// when
			// it was sent
			return new SentDocument("message/rfc822", message.delivery().deliveryId() + ".eml", mime.sentBytes(),
					mime.getMessageID(), route.name());
		}
		catch (MessagingException | IOException ex) {
			throw new IllegalStateException("could not build the email", ex);
		}
	}

	/**
	 * With a return path configured, the envelope sender ({@code MAIL FROM}) names the
	 * delivery (VERP: {@code bounces+<deliveryId>@domain}), so that an asynchronous
	 * bounce finds its delivery even when it quotes none of the message's headers.
	 */
	private void returnPath(MimeMessage mime, UUID deliveryId) {
		String returnPath = this.properties.returnPath();
		if (returnPath == null || returnPath.isBlank()) {
			return;
		}
		int at = returnPath.lastIndexOf('@');
		String verp = (at > 0) ? returnPath.substring(0, at) + "+" + deliveryId + returnPath.substring(at)
				: returnPath + "+" + deliveryId;
		if (mime instanceof SMTPMessage smtp) {
			smtp.setEnvelopeFrom(verp);
		}
	}

	/**
	 * The pool of connections to the configured server, opened on first use; none when
	 * the mail sender is not Spring's own (it is then used as it is, one connection per
	 * message).
	 */
	@Nullable SmtpConnections connections(JavaMailSender sender) {
		if (!(sender instanceof JavaMailSenderImpl configured)) {
			return null;
		}
		String target = configured.getProtocol() + "://" + configured.getUsername() + "@" + configured.getHost() + ":"
				+ configured.getPort();
		SmtpConnections open = this.connections;
		if (open == null || !open.target().equals(target)) {
			synchronized (this.connectionsLock) {
				open = this.connections;
				// the server's settings changed: connections to the old one are closed
				if (open != null && !open.target().equals(target)) {
					open.close();
					open = null;
				}
				if (open == null) {
					open = new SmtpConnections(target, configured.getSession(),
							(configured.getProtocol() != null) ? configured.getProtocol() : "smtp",
							configured.getHost(), configured.getPort(), configured.getUsername(),
							configured.getPassword(), this.properties.connections(),
							this.properties.messagesPerConnection(), this.properties.checkIdleAfter(),
							this.properties.closeIdleAfter());
					this.connections = open;
				}
			}
		}
		return open;
	}

	private static void send(SmtpConnections connections, MimeMessage mime) {
		try {
			connections.send(mime);
		}
		catch (MessagingException ex) {
			throw SmtpFailures.classify(ex);
		}
	}

	/**
	 * Connections to the second relay ({@code ccm.delivery.email.secondary-relay}), with
	 * the first relay's mail settings (socket factory, timeouts).
	 */
	SmtpConnections secondary(JavaMailSender sender) {
		SmtpConnections open = this.secondaryConnections;
		if (open == null) {
			synchronized (this.connectionsLock) {
				open = this.secondaryConnections;
				if (open == null) {
					DeliveryProperties.Relay relay = this.properties.secondaryRelay();
					Properties settings = new Properties();
					if (sender instanceof JavaMailSenderImpl configured) {
						settings.putAll(configured.getJavaMailProperties());
					}
					MailSenderTuning.timeouts(settings, this.properties);
					if (relay.username() != null) {
						settings.put("mail." + relay.protocol() + ".auth", "true");
					}
					open = new SmtpConnections(SECONDARY, Session.getInstance(settings), relay.protocol(), relay.host(),
							relay.port(), relay.username(), relay.password(), this.properties.connections(),
							this.properties.messagesPerConnection(), this.properties.checkIdleAfter(),
							this.properties.closeIdleAfter());
					this.secondaryConnections = open;
				}
			}
		}
		return open;
	}

	@Override
	public void destroy() {
		SmtpConnections open = this.connections;
		if (open != null) {
			open.close();
		}
		SmtpConnections secondary = this.secondaryConnections;
		if (secondary != null) {
			secondary.close();
		}
	}

	private static void send(JavaMailSender sender, MimeMessage mime) {
		try {
			sender.send(mime);
		}
		catch (MailException ex) {
			throw SmtpFailures.classify(ex);
		}
	}

}
