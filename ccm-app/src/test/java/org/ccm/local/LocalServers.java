package org.ccm.local;

import java.util.Locale;
import java.util.function.BooleanSupplier;

import org.jspecify.annotations.Nullable;
import org.testcontainers.DockerClientFactory;

/**
 * Which real servers the local run and the container tests use: the images of
 * {@code docker-compose.yml} through Testcontainers where a Docker engine answers, the
 * embedded servers otherwise. {@value #PROPERTY} (or {@code CCM_LOCAL_SERVERS}) set to
 * {@code containers} or {@code embedded} overrides the choice; {@code auto} is the
 * default.
 */
public enum LocalServers {

	/** PostgreSQL, Kafka and Mailpit in containers, from {@link ServerImages}. */
	CONTAINERS("PostgreSQL, Kafka and Mailpit in Docker containers (" + ServerImages.POSTGRES + ", "
			+ ServerImages.KAFKA + ", " + ServerImages.MAILPIT + ")"),

	/** PostgreSQL (zonky), a KRaft Kafka broker and an SMTP capture inside this JVM. */
	EMBEDDED("embedded PostgreSQL, Kafka and SMTP capture inside this JVM");

	public static final String PROPERTY = "ccm.local.servers";

	private final String description;

	LocalServers(String description) {
		this.description = description;
	}

	public String description() {
		return this.description;
	}

	/**
	 * The servers asked for by a {@code --ccm.local.servers=} argument, the system
	 * property or the {@code CCM_LOCAL_SERVERS} environment variable, in that order; by
	 * default containers when a Docker engine answers.
	 */
	public static LocalServers choose(String... args) {
		String setting = null;
		for (String arg : args) {
			if (arg.startsWith("--" + PROPERTY + "=")) {
				setting = arg.substring(PROPERTY.length() + 3);
			}
		}
		if (setting == null) {
			setting = System.getProperty(PROPERTY, System.getenv("CCM_LOCAL_SERVERS"));
		}
		return choose(setting, () -> DockerClientFactory.instance().isDockerAvailable());
	}

	static LocalServers choose(@Nullable String setting, BooleanSupplier dockerAvailable) {
		String value = (setting != null) ? setting.strip().toLowerCase(Locale.ROOT) : "";
		return switch (value) {
			case "containers" -> CONTAINERS;
			case "embedded" -> EMBEDDED;
			case "", "auto" -> dockerAvailable.getAsBoolean() ? CONTAINERS : EMBEDDED;
			default -> throw new IllegalArgumentException(
					PROPERTY + " must be auto, containers or embedded, not '" + setting + "'");
		};
	}

}
