package org.ccm.bench.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Postfix's {@code smtp-sink} on a loopback port: a fast, real SMTP server that accepts
 * and discards mail. Its running counters ({@code -c}) tell how many messages it has
 * received.
 */
final class SmtpSink implements AutoCloseable {

	private static final Pattern MESSAGES = Pattern.compile("mesg=(\\d+)");

	private final Process process;

	private final int port;

	private final AtomicLong received = new AtomicLong();

	private SmtpSink(Process process, int port) {
		this.process = process;
		this.port = port;
		Thread reader = new Thread(this::count, "smtp-sink-counter");
		reader.setDaemon(true);
		reader.start();
	}

	static SmtpSink start() throws IOException, InterruptedException {
		int port;
		try (ServerSocket probe = new ServerSocket(0)) {
			port = probe.getLocalPort();
		}
		String executable = System.getProperty("ccm.bench.smtp-sink", "/usr/sbin/smtp-sink");
		Process process = new ProcessBuilder(executable, "-c", "-u", "nobody", "127.0.0.1:" + port, "1024")
			.redirectErrorStream(true)
			.start();
		SmtpSink sink = new SmtpSink(process, port);
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (System.nanoTime() < deadline) {
			try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
				return sink;
			}
			catch (IOException ex) {
				Thread.sleep(50);
			}
		}
		sink.close();
		throw new IllegalStateException("smtp-sink did not start (apt-get install postfix)");
	}

	int port() {
		return this.port;
	}

	long received() {
		return this.received.get();
	}

	/**
	 * Waits until the sink has received {@code count} messages in all.
	 * @return when the last one arrived (nanoTime), as observed
	 */
	long awaitReceived(long count, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (this.received.get() < count) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException(
						"the sink received " + this.received.get() + " of " + count + " messages in " + timeout);
			}
			Thread.sleep(2);
		}
		return System.nanoTime();
	}

	private void count() {
		try (InputStream in = this.process.getInputStream()) {
			StringBuilder line = new StringBuilder();
			int c;
			while ((c = in.read()) != -1) {
				if (c == '\r' || c == '\n') {
					Matcher matcher = MESSAGES.matcher(line);
					if (matcher.find()) {
						this.received.set(Long.parseLong(matcher.group(1)));
					}
					line.setLength(0);
				}
				else {
					line.append((char) c);
				}
			}
		}
		catch (IOException ex) {
			// the sink stopped
		}
	}

	@Override
	public void close() {
		this.process.destroy();
	}

}
