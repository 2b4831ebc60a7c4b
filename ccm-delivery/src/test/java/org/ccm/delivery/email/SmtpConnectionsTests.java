package org.ccm.delivery.email;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pooled SMTP connections against a real SMTP server: many messages over few connections,
 * every socket without Nagle's delay, and a connection the server dropped replaced before
 * it is used.
 */
class SmtpConnectionsTests {

	private GreenMail server = start(0);

	private final RecordingSockets sockets = new RecordingSockets();

	private SmtpConnections connections;

	@AfterEach
	void stop() {
		if (this.connections != null) {
			this.connections.close();
		}
		this.server.stop();
	}

	@Test
	void manyMessagesGoOverAFewReusedConnectionsWithoutNaglesDelay() throws Exception {
		this.connections = connections(2, 1000, Duration.ofMinutes(1));
		ExecutorService senders = Executors.newFixedThreadPool(4);
		try {
			List<Future<Object>> sent = new CopyOnWriteArrayList<>();
			for (int i = 0; i < 40; i++) {
				int number = i;
				sent.add(senders.submit(() -> {
					this.connections.send(message(number));
					return null;
				}));
			}
			for (Future<Object> future : sent) {
				future.get();
			}
		}
		finally {
			senders.shutdown();
		}
		assertThat(this.server.getReceivedMessages()).hasSize(40);
		assertThat(this.sockets.noDelay).hasSizeBetween(1, 2).containsOnly(true);
		assertThat(this.connections.open()).isBetween(1, 2);
	}

	@Test
	void aConnectionIsReplacedAfterItsShareOfMessages() throws Exception {
		this.connections = connections(1, 3, Duration.ofMinutes(1));
		for (int i = 0; i < 7; i++) {
			this.connections.send(message(i));
		}
		assertThat(this.server.getReceivedMessages()).hasSize(7);
		assertThat(this.sockets.noDelay).hasSize(3);
	}

	@Test
	void aConnectionTheServerDroppedWhileIdleIsReplaced() throws Exception {
		this.connections = connections(1, 1000, Duration.ZERO);
		this.connections.send(message(1));
		int port = this.server.getSmtp().getPort();
		this.server.stop();
		this.server = start(port);
		this.connections.send(message(2));
		assertThat(this.server.getReceivedMessages()).singleElement()
			.satisfies((received) -> assertThat(received.getSubject()).isEqualTo("message 2"));
		assertThat(this.sockets.noDelay).hasSize(2);
	}

	private SmtpConnections connections(int size, int messagesPerConnection, Duration checkAfter) {
		Properties properties = new Properties();
		properties.put("mail.smtp.socketFactory", this.sockets);
		return new SmtpConnections("test", Session.getInstance(properties), "smtp", "127.0.0.1",
				this.server.getSmtp().getPort(), null, null, size, messagesPerConnection, checkAfter,
				Duration.ofMinutes(1));
	}

	private MimeMessage message(int number) throws Exception {
		MimeMessage message = new MimeMessage(this.connections.session());
		message.setFrom(new InternetAddress("billing@example.com"));
		message.setRecipient(MimeMessage.RecipientType.TO, new InternetAddress("ada@example.com"));
		message.setSubject("message " + number);
		message.setText("hello " + number);
		return message;
	}

	private static GreenMail start(int port) {
		GreenMail server = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
		server.start();
		return server;
	}

	/** The platform's socket factory, noting whether each socket it made has no delay. */
	static final class RecordingSockets extends NoDelaySocketFactory {

		final List<Boolean> noDelay = new CopyOnWriteArrayList<>();

		@Override
		public Socket createSocket() throws IOException {
			Socket socket = super.createSocket();
			this.noDelay.add(socket.getTcpNoDelay());
			return socket;
		}

	}

}
