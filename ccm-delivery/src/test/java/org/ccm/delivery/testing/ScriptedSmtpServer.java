package org.ccm.delivery.testing;

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
import java.util.ArrayList;
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

import org.jspecify.annotations.Nullable;

/**
 * An SMTP server that misbehaves on purpose, for the delivery tests and the fault suite.
 * Its rules: refuse our sender at {@code MAIL FROM}; refuse a recipient at
 * {@code RCPT TO} or after {@code DATA} with a scripted reply, for the first attempts or
 * for every recipient whose address contains a word; refuse a random share of all
 * {@code RCPT TO} for a while ({@code 451 4.3.0}); never answer a recipient's message, as
 * a server that hangs; or turn every connection away ({@code 421}). What it accepts is
 * counted per recipient, with its envelope sender and the time it arrived.
 */
public final class ScriptedSmtpServer implements AutoCloseable {

	public enum Stage {

		RCPT_TO, DATA

	}

	/**
	 * @param data the message as received, or empty when contents are not kept
	 * @param at when it was taken, in milliseconds since the epoch
	 */
	public record Accepted(@Nullable String envelopeFrom, String recipient, String data, long at) {

	}

	private record Refusal(Stage stage, String reply, int times) {

	}

	private static final Pattern ADDRESS = Pattern.compile("<([^>]*)>");

	private final ServerSocket socket;

	private final ExecutorService connections = Executors.newCachedThreadPool();

	private final Map<String, Refusal> refusals = new ConcurrentHashMap<>();

	private final Map<String, Refusal> refusalsByWord = new ConcurrentHashMap<>();

	private final List<String> hangingWords = new CopyOnWriteArrayList<>();

	private final Map<String, Boolean> hanging = new ConcurrentHashMap<>();

	private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();

	private final Map<String, List<Accepted>> accepted = new ConcurrentHashMap<>();

	private final AtomicInteger acceptedInAll = new AtomicInteger();

	private final Random random = new Random(42);

	private volatile @Nullable String senderRefusal;

	private volatile double refusedShare;

	private volatile boolean unavailable;

	private volatile boolean keepContents = true;

	public ScriptedSmtpServer() {
		try {
			this.socket = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.connections.submit(this::accept);
	}

	public int port() {
		return this.socket.getLocalPort();
	}

	/**
	 * Refuses mail to the recipient at the stage with the reply, the first {@code times}
	 * attempts.
	 */
	public void refuse(String recipient, Stage stage, String reply, int times) {
		this.refusals.put(recipient.toLowerCase(Locale.ROOT), new Refusal(stage, reply, times));
	}

	/** Refuses every attempt to every recipient whose address contains {@code word}. */
	public void refuseAddressesContaining(String word, Stage stage, String reply) {
		this.refusalsByWord.put(word.toLowerCase(Locale.ROOT), new Refusal(stage, reply, Integer.MAX_VALUE));
	}

	/**
	 * Answers this share (0 to 1) of all {@code RCPT TO} with {@code 451 4.3.0}, at
	 * random; 0 stops.
	 */
	public void refuseShare(double share) {
		this.refusedShare = share;
	}

	/** Answers every {@code MAIL FROM} with the reply; null accepts our sender again. */
	public void refuseSender(@Nullable String reply) {
		this.senderRefusal = reply;
	}

	/**
	 * Greets every new connection with {@code 421} and closes it, as a relay out of
	 * service.
	 */
	public void unavailable(boolean unavailable) {
		this.unavailable = unavailable;
	}

	/** Never answers the message's data for the recipient, as a server that hangs. */
	public void hang(String recipient) {
		this.hanging.put(recipient.toLowerCase(Locale.ROOT), true);
	}

	/**
	 * Never answers the data of messages to recipients whose address contains the word.
	 */
	public void hangAddressesContaining(String word) {
		this.hangingWords.add(word.toLowerCase(Locale.ROOT));
	}

	/** Counts accepted messages without keeping their contents (long runs). */
	public void discardContents() {
		this.keepContents = false;
	}

	/** Drops every rule: the server accepts everything again. Counts are kept. */
	public void reset() {
		this.refusals.clear();
		this.refusalsByWord.clear();
		this.hanging.clear();
		this.hangingWords.clear();
		this.senderRefusal = null;
		this.refusedShare = 0;
		this.unavailable = false;
	}

	/** Attempts at delivering to the recipient, refused or not. */
	public int attempts(String recipient) {
		AtomicInteger count = this.attempts.get(recipient.toLowerCase(Locale.ROOT));
		return (count != null) ? count.get() : 0;
	}

	public List<Accepted> acceptedFor(String recipient) {
		List<Accepted> mails = this.accepted.get(recipient.toLowerCase(Locale.ROOT));
		if (mails == null) {
			return List.of();
		}
		synchronized (mails) {
			return List.copyOf(mails);
		}
	}

	/** Messages accepted for the recipient. */
	public int received(String recipient) {
		return acceptedFor(recipient).size();
	}

	/** Messages accepted for every recipient together. */
	public int receivedInAll() {
		return this.acceptedInAll.get();
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
			if (this.unavailable) {
				reply(out, "421 4.3.2 service not available, closing");
				return;
			}
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
					String refusal = this.senderRefusal;
					reply(out, (refusal != null) ? refusal : "250 2.1.0 OK");
				}
				else if (command.startsWith("RCPT TO")) {
					recipient = address(line).toLowerCase(Locale.ROOT);
					int attempt = this.attempts.computeIfAbsent(recipient, (key) -> new AtomicInteger())
						.incrementAndGet();
					Refusal refusal = refusal(recipient, attempt);
					if (refusal != null && refusal.stage() == Stage.RCPT_TO) {
						reply(out, refusal.reply());
					}
					else if (!hangs(recipient) && this.refusedShare > 0 && nextDouble() < this.refusedShare) {
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
						if (this.keepContents) {
							data.append(dataLine).append('\n');
						}
					}
					if (recipient != null && hangs(recipient)) {
						Thread.sleep(600_000);
						return;
					}
					Refusal refusal = (recipient != null) ? refusal(recipient, attempts(recipient)) : null;
					if (refusal != null && refusal.stage() == Stage.DATA) {
						reply(out, refusal.reply());
					}
					else {
						if (recipient != null) {
							received(new Accepted(from, recipient, data.toString(), System.currentTimeMillis()));
						}
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
			// the client went away mid-line
		}
	}

	private void received(Accepted mail) {
		List<Accepted> mails = this.accepted.computeIfAbsent(mail.recipient(), (key) -> new ArrayList<>());
		synchronized (mails) {
			mails.add(mail);
		}
		this.acceptedInAll.incrementAndGet();
	}

	private boolean hangs(String recipient) {
		return this.hanging.containsKey(recipient) || this.hangingWords.stream().anyMatch(recipient::contains);
	}

	private double nextDouble() {
		synchronized (this.random) {
			return this.random.nextDouble();
		}
	}

	private @Nullable Refusal refusal(String recipient, int attempt) {
		Refusal refusal = this.refusals.get(recipient);
		if (refusal != null && attempt <= refusal.times()) {
			return refusal;
		}
		return this.refusalsByWord.entrySet()
			.stream()
			.filter((rule) -> recipient.contains(rule.getKey()))
			.map(Map.Entry::getValue)
			.findFirst()
			.orElse(null);
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
