package org.ccm.local;

import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Mailpit, the SMTP catcher of {@code docker-compose.yml}: it keeps every message and
 * shows them in its web UI and HTTP API.
 */
public class MailpitContainer extends GenericContainer<MailpitContainer> {

	static final int SMTP = 1025;

	static final int WEB = 8025;

	public MailpitContainer() {
		super(DockerImageName.parse(ServerImages.MAILPIT));
		withExposedPorts(SMTP, WEB);
	}

	public int smtpPort() {
		return getMappedPort(SMTP);
	}

	public String webUrl() {
		return "http://" + getHost() + ":" + getMappedPort(WEB);
	}

}
