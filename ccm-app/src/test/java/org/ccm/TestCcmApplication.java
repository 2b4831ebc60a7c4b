package org.ccm;

import org.ccm.local.LocalInfrastructure;
import org.springframework.boot.SpringApplication;

/**
 * The default run: the whole platform on real PostgreSQL, Kafka and a mail catcher — the
 * images of {@code docker-compose.yml} where a Docker engine answers, embedded servers
 * otherwise — and an SMS sandbox, with demo data. Started by
 * {@code ./mvnw -pl ccm-app -am spring-boot:test-run}; none of these servers is part of
 * the packaged application.
 */
public class TestCcmApplication {

	public static void main(String[] args) {
		Class<?> servers = LocalInfrastructure.start(args);
		// run after the application context has closed, in Spring's shutdown hook
		SpringApplication.getShutdownHandlers().add(LocalInfrastructure::stop);
		try {
			SpringApplication.from(CcmApplication::main).with(servers).withAdditionalProfiles("local").run(args);
		}
		catch (RuntimeException ex) {
			// the embedded broker's threads would otherwise keep a failed start alive
			System.exit(1);
		}
	}

}
