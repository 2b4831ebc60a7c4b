package org.ccm.local;

import java.util.Map;

/**
 * The images of the servers the platform runs against, in one place: Testcontainers
 * starts these, and {@code docker-compose.yml} names the same ones (a test keeps them
 * equal).
 */
public final class ServerImages {

	public static final String POSTGRES = "postgres:18";

	/** The broker of the Kafka version the build pins ({@code kafka.version}). */
	public static final String KAFKA = "apache/kafka:4.2.1";

	public static final String MAILPIT = "axllent/mailpit:latest";

	private ServerImages() {
	}

	/**
	 * Image per service name of {@code docker-compose.yml}.
	 */
	public static Map<String, String> byComposeService() {
		return Map.of("postgres", POSTGRES, "kafka", KAFKA, "mailpit", MAILPIT);
	}

}
