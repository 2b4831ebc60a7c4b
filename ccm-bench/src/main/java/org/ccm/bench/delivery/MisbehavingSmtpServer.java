package org.ccm.bench.delivery;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An SMTP server that misbehaves on purpose and counts what each recipient received:
 * recipients whose address contains {@code refused} get {@code 550 5.1.1} at RCPT TO,
 * those containing {@code hangs} never get an answer to their message, and a share of all
 * other RCPT TO get {@code 451 4.3.0}.
 */
final class MisbehavingSmtpServer implements AutoCloseable {

	private static final Pattern ADDRESS = Pattern.compile("<([^>]*)>");

	private final ServerSocket socket;

	private final ExecutorService connections = Executors.newCachedThreadPool();

	private final Random random = new Random(7);

	final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();

	final Map<String, AtomicInteger> received = new ConcurrentHashMap<>();

	/** When each recipient's first message was taken, in milliseconds since the epoch. */
	final Map<String, Long> receivedAt = new ConcurrentHashMap<>();

	volatile double temporaryRate;

	MisbehavingSmtpServer() throws IOException {
		this.socket = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
		this.connections.submit(this::accept);
	}

	int port() {
		return this.socket.getLocalPort();
	}

	int received(String recipient) {
		AtomicInteger count = this.received.get(recipient.toLowerCase(Locale.ROOT));
		return (count != null) ? count.get() : 0;
	}

	int attempts(String recipient) {
		AtomicInteger count = this.attempts.get(recipient.toLowerCase(Locale.ROOT));
		return (count != null) ? count.get() : 0;
	}

	int receivedInAll() {
		return this.received.values().stream().mapToInt(AtomicInteger::get).sum();
	}

	private void accept() {
		while (!this.socket.isClosed()) {
			try {
				Socket client = this.socket.accept();
				client.setTcpNoDelay(true);
				this.connections.submit(() -> converse(client));
			}
			catch (IOException ex) {
				return;
			}
		}
	}

	private void converse(Socket client) {
		try (client) {
			BufferedReader in = new BufferedReader(
					new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
			OutputStream out = client.getOutputStream();
			reply(out, "220 misbehaving ESMTP");
			String recipient = null;
			String line;
			while ((line = in.readLine()) != null) {
				String command = line.toUpperCase(Locale.ROOT);
				if (command.startsWith("EHLO") || command.startsWith("HELO")) {
					reply(out, "250 misbehaving");
				}
				else if (command.startsWith("RCPT TO")) {
					Matcher matcher = ADDRESS.matcher(line);
					recipient = matcher.find() ? matcher.group(1).toLowerCase(Locale.ROOT) : "";
					this.attempts.computeIfAbsent(recipient, (key) -> new AtomicInteger()).incrementAndGet();
					if (recipient.contains("refused")) {
						reply(out, "550 5.1.1 <" + recipient + ">: no such user");
					}
					else if (!recipient.contains("hangs") && this.temporaryRate > 0 && chance() < this.temporaryRate) {
						reply(out, "451 4.3.0 busy, try again later");
					}
					else {
						reply(out, "250 2.1.5 OK");
					}
				}
				else if (command.startsWith("DATA")) {
					reply(out, "354 go ahead");
					String data;
					while ((data = in.readLine()) != null && !data.equals(".")) {
						// the message itself is not kept
					}
					if (recipient != null && recipient.contains("hangs")) {
						Thread.sleep(600_000);
						return;
					}
					if (recipient != null) {
						this.received.computeIfAbsent(recipient, (key) -> new AtomicInteger()).incrementAndGet();
						this.receivedAt.putIfAbsent(recipient, System.currentTimeMillis());
					}
					reply(out, "250 2.0.0 queued");
				}
				else if (command.startsWith("QUIT")) {
					reply(out, "221 bye");
					return;
				}
				else {
					reply(out, "250 OK");
				}
			}
		}
		catch (IOException ex) {
			// the client went away
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private double chance() {
		synchronized (this.random) {
			return this.random.nextDouble();
		}
	}

	private static void reply(OutputStream out, String reply) throws IOException {
		out.write((reply + "\r\n").getBytes(StandardCharsets.UTF_8));
		out.flush();
	}

	@Override
	public void close() {
		try {
			this.socket.close();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		finally {
			this.connections.shutdownNow();
		}
	}

}
