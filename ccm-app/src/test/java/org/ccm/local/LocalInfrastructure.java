package org.ccm.local;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import org.ccm.admin.CapturedMessages;
import org.ccm.core.testing.EmbeddedPostgresServer;
import org.ccm.core.testing.PostgresTestConfiguration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

/**
 * The servers of the default run. PostgreSQL, Kafka and the mail catcher are either the
 * images of {@code docker-compose.yml} in containers ({@link LocalContainers}, where a
 * Docker engine answers) or embedded in this JVM: PostgreSQL (zonky's embedded binaries),
 * a single-node KRaft Kafka broker and an SMTP server that captures mail (GreenMail); see
 * {@link LocalServers}. Either way an SMS sandbox answers the Twilio API so the real
 * Twilio SDK runs end to end. When {@code SPRING_MAIL_HOST} is set, mail goes to that
 * server instead of the embedded capture.
 */
public final class LocalInfrastructure {

	/** Twilio's Messages resource, as the SDK calls it. */
	static final String TWILIO_MESSAGES = "/2010-04-01/Accounts/[^/]+/Messages.json";

	static final String SANDBOX_ACCOUNT_SID = "AC00000000000000000000000000000000";

	private static @Nullable GreenMail mail;

	private static @Nullable WireMockServer sms;

	private static @Nullable EmbeddedKafkaKraftBroker kafka;

	private static @Nullable LocalServers servers;

	private LocalInfrastructure() {
	}

	/**
	 * Starts the servers this machine can run, and says which.
	 * @param args the run's arguments, which may choose the servers
	 * @return the configuration that connects the application to them
	 */
	public static synchronized Class<?> start(String... args) {
		if (servers == null) {
			servers = LocalServers.choose(args);
			System.out.println("Local servers: " + servers.description() + " (" + LocalServers.PROPERTY
					+ "=auto|containers|embedded or CCM_LOCAL_SERVERS chooses)");
			if (servers == LocalServers.EMBEDDED) {
				startEmbedded();
			}
			startSmsSandbox();
		}
		return (servers == LocalServers.EMBEDDED) ? Beans.class : LocalContainers.class;
	}

	/**
	 * The servers this run uses; null before {@link #start(String...)}.
	 */
	public static @Nullable LocalServers servers() {
		return servers;
	}

	private static void startEmbedded() {
		EmbeddedPostgresServer.get();
		kafka = new EmbeddedKafkaKraftBroker(1, 1).kafkaPorts(0);
		kafka.afterPropertiesSet();
		if (System.getenv("SPRING_MAIL_HOST") == null) {
			mail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
			mail.start();
			System.setProperty("spring.mail.host", "127.0.0.1");
			System.setProperty("spring.mail.port", String.valueOf(mail.getSmtp().getPort()));
		}
		EmbeddedPostgresServer.stopWhenTold();
	}

	private static void startSmsSandbox() {
		sms = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
		sms.stubFor(post(urlPathMatching(TWILIO_MESSAGES)).willReturn(aResponse().withStatus(201)
			.withHeader("Content-Type", "application/json")
			.withTransformers("response-template")
			.withBody("""
					{"sid": "SM{{randomValue length=32 type='HEXADECIMAL'}}", "status": "queued",
					 "account_sid": "%s", "num_segments": "1", "direction": "outbound-api",
					 "date_created": "{{now format='EEE, dd MMM yyyy HH:mm:ss Z'}}"}
					""".formatted(SANDBOX_ACCOUNT_SID))));
		sms.start();
		if (System.getenv("CCM_SMS_TWILIO_BASE_URL") == null) {
			System.setProperty("ccm.delivery.sms.twilio.base-url", sms.baseUrl());
			System.setProperty("ccm.delivery.sms.twilio.account-sid", SANDBOX_ACCOUNT_SID);
			System.setProperty("ccm.delivery.sms.twilio.auth-token", "sandbox-auth-token");
			System.setProperty("ccm.delivery.sms.twilio.from", "+15005550006");
		}
		System.setProperty("ccm.delivery.print.batch-directory",
				Path.of("target", "print").toAbsolutePath().toString());
	}

	/**
	 * Stops the servers once the application has closed, so that it shuts down against
	 * running servers (Ctrl-C).
	 */
	public static synchronized void stop() {
		if (sms != null) {
			sms.stop();
		}
		if (mail != null) {
			mail.stop();
		}
		if (kafka != null) {
			kafka.destroy();
			EmbeddedPostgresServer.stop();
		}
	}

	/**
	 * Connection details for the embedded servers, and the captured messages for the
	 * admin UI.
	 */
	@TestConfiguration(proxyBeanMethods = false)
	@Import(DemoData.class)
	public static class Beans {

		@Bean
		JdbcConnectionDetails localPostgres() {
			return PostgresTestConfiguration
				.connectionTo(EmbeddedPostgresServer.get().getJdbcUrl("postgres", "postgres"));
		}

		@Bean
		KafkaConnectionDetails localKafka() {
			List<String> servers = Arrays.asList(kafka().getBrokersAsString().split(","));
			return () -> servers;
		}

		@Bean
		CapturedMessages capturedMessages() {
			return new CapturedMessages() {

				@Override
				public List<CapturedMail> mail() {
					return capturedMail();
				}

				@Override
				public List<CapturedSms> sms() {
					return capturedSms();
				}

			};
		}

	}

	static EmbeddedKafkaKraftBroker kafka() {
		if (kafka == null) {
			throw new IllegalStateException("LocalInfrastructure.start() was not called");
		}
		return kafka;
	}

	static @Nullable GreenMail mailServer() {
		return mail;
	}

	static List<CapturedMessages.CapturedMail> capturedMail() {
		if (mail == null) {
			return List.of();
		}
		List<CapturedMessages.CapturedMail> received = new ArrayList<>(
				Arrays.stream(mail.getReceivedMessages()).map(CapturedMailReader::read).toList());
		Collections.reverse(received);
		return received;
	}

	static List<CapturedMessages.CapturedSms> capturedSms() {
		if (sms == null) {
			return List.of();
		}
		return sms.getAllServeEvents()
			.stream()
			.map(ServeEvent::getRequest)
			.filter((request) -> request.getUrl().matches(TWILIO_MESSAGES + "(\\?.*)?"))
			.map((request) -> new CapturedMessages.CapturedSms(request.getLoggedDate().toInstant(),
					request.formParameter("From").firstValue(), request.formParameter("To").firstValue(),
					request.formParameter("Body").firstValue()))
			.toList();
	}

}
