package org.ccm.delivery;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An SMTP server that misbehaves on purpose: it refuses our sender at {@code MAIL FROM},
 * or per recipient at {@code RCPT TO} or after {@code DATA} with a scripted reply,
 * optionally only for the first attempts. Everything else is accepted and counted, with
 * its envelope sender.
 */
final class ScriptedSmtpServer implements AutoCloseable {

	enum Stage {

		RCPT_TO, DATA

	}

	record Refusal(Stage stage, String reply, int times) {

	}

	record Accepted(String envelopeFrom, String recipient, String data) {

	}

	private static final Pattern ADDRESS = Pattern.compile("<([^>]*)>");

	private final ServerSocket socket;

	private final ExecutorService connections = Executors.newCachedThreadPool();

	private final Map<String, Refusal> refusals = new ConcurrentHashMap<>();

	private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();

	/** Answered to every MAIL FROM when set. */
	volatile String senderRefusal;

	/** The share of RCPT TO answered with a temporary refusal, at random. */
	volatile double temporaryRate;

	private final Random random = new Random(42);

	private final Map<String, Boolean> hanging = new ConcurrentHashMap<>();

	final List<Accepted> accepted = new CopyOnWriteArrayList<>();

	ScriptedSmtpServer() {
		try {
			this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.connections.submit(this::accept);
	}

	int port() {
		return this.socket.getLocalPort();
	}

	/**
	 * Refuses mail to the recipient at the stage with the reply, the first {@code times}
	 * attempts.
	 */
	void refuse(String recipient, Stage stage, String reply, int times) {
		this.refusals.put(recipient.toLowerCase(Locale.ROOT), new Refusal(stage, reply, times));
	}

	/** Never answers the message's data for the recipient, as a server that hangs. */
	void hang(String recipient) {
		this.hanging.put(recipient.toLowerCase(Locale.ROOT), true);
	}

	/** Attempts at delivering to the recipient, refused or not. */
	int attempts(String recipient) {
		AtomicInteger count = this.attempts.get(recipient.toLowerCase(Locale.ROOT));
		return (count != null) ? count.get() : 0;
	}

	List<Accepted> acceptedFor(String recipient) {
		return this.accepted.stream().filter((mail) -> mail.recipient().equalsIgnoreCase(recipient)).toList();
	}

	private void accept() {
		while (!this.socket.isClosed()) {
			try {
				Socket client = this.socket.accept();
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
			reply(out, "220 scripted ESMTP");
			String from = null;
			String recipient = null;
			String line;
			while ((line = in.readLine()) != null) {
				String command = line.toUpperCase(Locale.ROOT);
				if (command.startsWith("EHLO") || command.startsWith("HELO")) {
					reply(out, "250 scripted");
				}
				else if (command.startsWith("MAIL FROM")) {
					from = address(line);
					recipient = null;
					reply(out, (this.senderRefusal != null) ? this.senderRefusal : "250 2.1.0 OK");
				}
				else if (command.startsWith("RCPT TO")) {
					recipient = address(line).toLowerCase(Locale.ROOT);
					int attempt = this.attempts.computeIfAbsent(recipient, (key) -> new AtomicInteger())
						.incrementAndGet();
					Refusal refusal = refusal(recipient, attempt);
					if (refusal != null && refusal.stage() == Stage.RCPT_TO) {
						reply(out, refusal.reply());
					}
					else if (this.temporaryRate > 0 && nextDouble() < this.temporaryRate) {
						reply(out, "451 4.3.0 busy, try again later");
					}
					else {
						reply(out, "250 2.1.5 OK");
					}
				}
				else if (command.startsWith("DATA")) {
					reply(out, "354 go ahead");
					StringBuilder data = new StringBuilder();
					String dataLine;
					while ((dataLine = in.readLine()) != null && !dataLine.equals(".")) {
						data.append(dataLine).append('\n');
					}
					if (recipient != null && this.hanging.containsKey(recipient)) {
						Thread.sleep(60_000);
						return;
					}
					Refusal refusal = (recipient != null) ? refusal(recipient, this.attempts.get(recipient).get())
							: null;
					if (refusal != null && refusal.stage() == Stage.DATA) {
						reply(out, refusal.reply());
					}
					else {
						this.accepted.add(new Accepted(from, recipient, data.toString()));
						reply(out, "250 2.0.0 queued");
					}
				}
				else if (command.startsWith("QUIT")) {
					reply(out, "221 bye");
					return;
				}
				else {
					// RSET, NOOP
					reply(out, "250 OK");
				}
			}
		}
		catch (SocketException ex) {
			// the client went away
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private double nextDouble() {
		synchronized (this.random) {
			return this.random.nextDouble();
		}
	}

	private Refusal refusal(String recipient, int attempt) {
		Refusal refusal = this.refusals.get(recipient);
		return (refusal != null && attempt <= refusal.times()) ? refusal : null;
	}

	private static String address(String line) {
		Matcher matcher = ADDRESS.matcher(line);
		return matcher.find() ? matcher.group(1) : "";
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
			// closing
		}
		this.connections.shutdownNow();
	}

}
