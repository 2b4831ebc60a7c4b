package org.ccm.delivery.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A PostgreSQL server of its own (zonky's embedded binaries) that can be stopped and
 * started again on the same port with the same data, as an operator restarting it would.
 * Unlike the server shared by the test contexts, stopping it disturbs no one else.
 */
public final class RestartablePostgres {

	private final Path data;

	private final int port;

	private EmbeddedPostgres server;

	private RestartablePostgres(Path data, int port) {
		this.data = data;
		this.port = port;
	}

	/**
	 * Starts a server with an empty database {@code ccm}.
	 */
	public static RestartablePostgres create() {
		try {
			RestartablePostgres postgres = new RestartablePostgres(Files.createTempDirectory("ccm-restartable-pg"),
					freePort());
			postgres.start();
			try (Connection connection = postgres.server.getPostgresDatabase().getConnection();
					Statement statement = connection.createStatement()) {
				statement.execute("CREATE DATABASE ccm");
			}
			return postgres;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("could not create the database", ex);
		}
	}

	public synchronized void start() throws IOException {
		if (this.server == null) {
			this.server = EmbeddedPostgres.builder()
				.setDataDirectory(this.data)
				.setCleanDataDirectory(false)
				.setPort(this.port)
				.setServerConfig("max_connections", "300")
				.setServerConfig("fsync", "off")
				.setServerConfig("synchronous_commit", "off")
				.start();
		}
	}

	public synchronized void stop() throws IOException {
		if (this.server != null) {
			this.server.close();
			this.server = null;
		}
	}

	public String jdbcUrl() {
		return "jdbc:postgresql://localhost:" + this.port + "/ccm";
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
