package org.ccm.delivery.email;

import java.time.Duration;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import org.apache.commons.pool2.BasePooledObjectFactory;
import org.apache.commons.pool2.PooledObject;
import org.apache.commons.pool2.impl.DefaultPooledObject;
import org.apache.commons.pool2.impl.GenericObjectPool;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.jspecify.annotations.Nullable;

/**
 * A few connected SMTP transports, each reused for many messages. Opening a connection
 * costs a TCP handshake, the greeting, {@code EHLO} (and TLS, authentication) and
 * {@code QUIT}: several round trips for every message when each message has its own.
 * <p>
 * A connection that failed is closed and replaced, never reused; one idle for longer than
 * {@code checkAfter} is checked ({@code NOOP}) before use, because servers drop idle
 * sessions. A connection is also replaced after {@code messagesPerConnection} messages.
 * The caller decides what a failure means for the message: nothing is resent here.
 */
final class SmtpConnections implements AutoCloseable {

	private final String target;

	private final Session session;

	private final String protocol;

	private final @Nullable String host;

	private final int port;

	private final @Nullable String username;

	private final @Nullable String password;

	private final int messagesPerConnection;

	private final long checkAfterMillis;

	private final GenericObjectPool<Connection> pool;

	SmtpConnections(String target, Session session, String protocol, @Nullable String host, int port,
			@Nullable String username, @Nullable String password, int connections, int messagesPerConnection,
			Duration checkAfter, Duration closeIdleAfter) {
		this.target = target;
		this.session = session;
		this.protocol = protocol;
		this.host = host;
		this.port = port;
		this.username = username;
		this.password = password;
		this.messagesPerConnection = messagesPerConnection;
		this.checkAfterMillis = checkAfter.toMillis();
		GenericObjectPoolConfig<Connection> config = new GenericObjectPoolConfig<>();
		config.setMaxTotal(connections);
		config.setMaxIdle(connections);
		config.setMinIdle(0);
		config.setBlockWhenExhausted(true);
		config.setMaxWait(Duration.ofMinutes(1));
		config.setLifo(true);
		config.setMinEvictableIdleDuration(closeIdleAfter);
		config.setTimeBetweenEvictionRuns(closeIdleAfter.dividedBy(2));
		config.setJmxEnabled(false);
		this.pool = new GenericObjectPool<>(new Connector(), config);
	}

	/** The server these connections go to, as the sender's settings named it. */
	String target() {
		return this.target;
	}

	Session session() {
		return this.session;
	}

	/**
	 * Sends the message over a pooled connection.
	 * @throws MessagingException as the transport threw it; the connection it used is
	 * closed
	 */
	void send(MimeMessage message) throws MessagingException {
		Connection connection = borrow();
		boolean reusable = false;
		try {
			connection.transport.sendMessage(message, message.getAllRecipients());
			connection.sent++;
			reusable = connection.sent < this.messagesPerConnection;
		}
		finally {
			connection.lastUsed = System.currentTimeMillis();
			if (reusable) {
				this.pool.returnObject(connection);
			}
			else {
				invalidate(connection);
			}
		}
	}

	int open() {
		return this.pool.getNumActive() + this.pool.getNumIdle();
	}

	private Connection borrow() throws MessagingException {
		while (true) {
			Connection connection;
			try {
				connection = this.pool.borrowObject();
			}
			catch (MessagingException | RuntimeException ex) {
				throw ex;
			}
			catch (Exception ex) {
				throw new MessagingException("no SMTP connection available", ex);
			}
			boolean stale = System.currentTimeMillis() - connection.lastUsed > this.checkAfterMillis;
			if (!stale || connection.transport.isConnected()) {
				return connection;
			}
			// dropped by the server while idle: nothing was sent on it, take another
			invalidate(connection);
		}
	}

	private void invalidate(Connection connection) {
		try {
			this.pool.invalidateObject(connection);
		}
		catch (Exception ex) {
			// closing a broken connection may fail; it is gone either way
		}
	}

	@Override
	public void close() {
		this.pool.close();
	}

	private static final class Connection {

		private final Transport transport;

		private int sent;

		private long lastUsed = System.currentTimeMillis();

		private Connection(Transport transport) {
			this.transport = transport;
		}

	}

	private final class Connector extends BasePooledObjectFactory<Connection> {

		@Override
		public Connection create() throws MessagingException {
			Transport transport = SmtpConnections.this.session.getTransport(SmtpConnections.this.protocol);
			transport.connect(SmtpConnections.this.host, SmtpConnections.this.port, SmtpConnections.this.username,
					SmtpConnections.this.password);
			return new Connection(transport);
		}

		@Override
		public PooledObject<Connection> wrap(Connection connection) {
			return new DefaultPooledObject<>(connection);
		}

		@Override
		public void destroyObject(PooledObject<Connection> pooled) throws MessagingException {
			pooled.getObject().transport.close();
		}

	}

}
