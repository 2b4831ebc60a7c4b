package org.ccm.local;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

import org.ccm.admin.CapturedMessages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistrar;
import org.springframework.web.client.RestClient;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

import tools.jackson.databind.JsonNode;

/**
 * The servers of {@code docker-compose.yml} in containers, for the local run and tests on
 * a machine with a Docker engine. Spring Boot starts them before the beans that use them
 * and connects to them through {@code @ServiceConnection}; mail goes to Mailpit, whose
 * messages the admin UI's captured-mail page reads through Mailpit's API.
 */
@TestConfiguration(proxyBeanMethods = false)
@Import(DemoData.class)
public class LocalContainers {

	private static final Logger log = LoggerFactory.getLogger(LocalContainers.class);

	@Bean
	@ServiceConnection
	PostgreSQLContainer postgres() {
		// the database and account of docker-compose.yml
		return new PostgreSQLContainer(DockerImageName.parse(ServerImages.POSTGRES)).withDatabaseName("ccm")
			.withUsername("ccm")
			.withPassword("ccm");
	}

	@Bean
	@ServiceConnection
	KafkaContainer kafka() {
		return new KafkaContainer(DockerImageName.parse(ServerImages.KAFKA));
	}

	@Bean
	MailpitContainer mailpit() {
		return new MailpitContainer();
	}

	@Bean
	DynamicPropertyRegistrar mailpitConnection(MailpitContainer mailpit) {
		return (registry) -> {
			registry.add("spring.mail.host", mailpit::getHost);
			registry.add("spring.mail.port", mailpit::smtpPort);
		};
	}

	@Bean
	CapturedMessages capturedMessages(MailpitContainer mailpit) {
		log.info("Mailpit web UI {}", mailpit.webUrl());
		RestClient api = RestClient.create(mailpit.webUrl());
		return new CapturedMessages() {

			@Override
			public List<CapturedMail> mail() {
				return caughtMail(api);
			}

			@Override
			public List<CapturedSms> sms() {
				return LocalInfrastructure.capturedSms();
			}

		};
	}

	/**
	 * The messages Mailpit caught, newest first, read from its HTTP API as sent.
	 */
	static List<CapturedMessages.CapturedMail> caughtMail(RestClient api) {
		JsonNode listing = api.get().uri("/api/v1/messages?limit=200").retrieve().body(JsonNode.class);
		if (listing == null) {
			return List.of();
		}
		Session session = Session.getInstance(new Properties());
		List<CapturedMessages.CapturedMail> caught = new ArrayList<>();
		for (JsonNode message : listing.path("messages")) {
			String raw = api.get()
				.uri("/api/v1/message/{id}/raw", message.path("ID").asString())
				.retrieve()
				.body(String.class);
			try {
				caught.add(CapturedMailReader.read(new MimeMessage(session,
						new ByteArrayInputStream((raw != null) ? raw.getBytes(StandardCharsets.UTF_8) : new byte[0]))));
			}
			catch (MessagingException ex) {
				throw new IllegalStateException("Mailpit returned a message that cannot be read", ex);
			}
		}
		return caught;
	}

}
