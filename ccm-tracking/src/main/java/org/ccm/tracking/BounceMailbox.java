package org.ccm.tracking;

import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.Properties;

import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.MimeMessage;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.ccm.tracking.BounceMessages.UnreadableReportException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Polls the mailbox the return path delivers to. Each report is recorded, then moved to
 * the processed folder; a message that is not a readable report, or that names no
 * delivery of ours, is moved to the unreadable folder for a person to look at. Moving is
 * what keeps a message from being read twice; should a poll die between recording and
 * moving, the report's Message-ID keeps the second reading from counting.
 */
@Component
class BounceMailbox {

	private static final Logger log = LoggerFactory.getLogger(BounceMailbox.class);

	static final String SOURCE = "mailbox";

	private final Bounces bounces;

	private final BounceProperties.Mailbox mailbox;

	private final Clock clock;

	BounceMailbox(Bounces bounces, BounceProperties properties, Clock clock) {
		this.bounces = bounces;
		this.mailbox = properties.mailbox();
		this.clock = clock;
	}

	/**
	 * What one poll did.
	 */
	record Poll(int read, int recorded, int unreadable) {

		static final Poll NONE = new Poll(0, 0, 0);

	}

	@Scheduled(fixedDelayString = "${ccm.tracking.bounces.mailbox.poll-interval:1m}",
			initialDelayString = "${ccm.tracking.bounces.mailbox.poll-interval:1m}")
	@SchedulerLock(name = "ccm-tracking-bounce-mailbox")
	void scheduledPoll() {
		if (!mailbox.enabled()) {
			return;
		}
		try {
			Poll poll = poll();
			if (poll.read() > 0) {
				log.info("Bounce mailbox: {} read, {} recorded, {} unreadable", poll.read(), poll.recorded(),
						poll.unreadable());
			}
		}
		catch (MessagingException ex) {
			// the next poll tries again; nothing was moved that was not recorded
			log.warn("The bounce mailbox {}:{} could not be read", mailbox.host(), mailbox.port(), ex);
		}
	}

	/**
	 * Reads up to a batch of messages from the mailbox and files each of them.
	 */
	Poll poll() throws MessagingException {
		Session session = Session.getInstance(sessionProperties());
		try (Store store = session.getStore(mailbox.ssl() ? "imaps" : "imap")) {
			store.connect(mailbox.host(), mailbox.port(), mailbox.user(), mailbox.password());
			Folder inbox = store.getFolder(mailbox.folder());
			inbox.open(Folder.READ_WRITE);
			try {
				int count = inbox.getMessageCount();
				if (count == 0) {
					return Poll.NONE;
				}
				Folder processed = folder(store, mailbox.processedFolder());
				Folder unreadable = folder(store, mailbox.unreadableFolder());
				int recorded = 0;
				int unread = 0;
				int read = 0;
				for (Message message : inbox.getMessages(1, Math.min(count, mailbox.batchSize()))) {
					if (message.isSet(Flags.Flag.DELETED)) {
						continue;
					}
					read++;
					boolean kept;
					try {
						kept = file(message);
					}
					catch (RuntimeException ex) {
						// left in the folder for the next poll (the database may be away)
						log.warn("Bounce mailbox: message {} could not be recorded", message.getMessageNumber(), ex);
						continue;
					}
					inbox.copyMessages(new Message[] { message }, kept ? processed : unreadable);
					message.setFlag(Flags.Flag.DELETED, true);
					if (kept) {
						recorded++;
					}
					else {
						unread++;
					}
				}
				return new Poll(read, recorded, unread);
			}
			finally {
				// expunges the messages that were moved
				inbox.close(true);
			}
		}
	}

	/**
	 * Records the report the message carries.
	 * @return whether it was filed as processed; false when it waits for a person
	 */
	private boolean file(Message message) throws MessagingException {
		Optional<Bounce> bounce;
		try {
			// read whole, once: parts fetched one by one depend on how the server splits
			// nested messages, and cost a round trip each
			bounce = BounceMessages.read(new MimeMessage((MimeMessage) message));
		}
		catch (UnreadableReportException ex) {
			log.warn("Bounce mailbox: message {} is not a readable report: {}", message.getMessageNumber(),
					ex.getMessage());
			bounces.unreadable(SOURCE);
			return false;
		}
		if (bounce.isEmpty()) {
			bounces.ignored(SOURCE);
			return true;
		}
		Date sent = message.getSentDate();
		Instant at = (sent != null && !sent.toInstant().isAfter(clock.instant())) ? sent.toInstant() : clock.instant();
		return bounces.record(bounce.get(), SOURCE, at) != Bounces.Outcome.UNMATCHED;
	}

	private static Folder folder(Store store, String name) throws MessagingException {
		Folder folder = store.getFolder(name);
		if (!folder.exists()) {
			folder.create(Folder.HOLDS_MESSAGES);
		}
		return folder;
	}

	private Properties sessionProperties() {
		Properties properties = new Properties();
		String protocol = mailbox.ssl() ? "imaps" : "imap";
		String timeout = String.valueOf(mailbox.timeout().toMillis());
		properties.put("mail.store.protocol", protocol);
		properties.put("mail." + protocol + ".connectiontimeout", timeout);
		properties.put("mail." + protocol + ".timeout", timeout);
		properties.put("mail." + protocol + ".writetimeout", timeout);
		if (!mailbox.ssl()) {
			properties.put("mail.imap.starttls.enable", "true");
		}
		return properties;
	}

}
