package org.ccm;

import org.ccm.local.LocalInfrastructure;
import org.springframework.boot.SpringApplication;

/**
 * The default run: the whole platform on embedded PostgreSQL, Kafka, SMTP capture and an
 * SMS sandbox, with demo data. Started by
 * {@code ./mvnw -pl ccm-app -am spring-boot:test-run}; none of the embedded servers is
 * part of the packaged application.
 */
public class TestCcmApplication {

	public static void main(String[] args) {
		LocalInfrastructure.start();
		// run after the application context has closed, in Spring's shutdown hook
		SpringApplication.getShutdownHandlers().add(LocalInfrastructure::stop);
		try {
			SpringApplication.from(CcmApplication::main)
				.with(LocalInfrastructure.Beans.class)
				.withAdditionalProfiles("local")
				.run(args);
		}
		catch (RuntimeException ex) {
			// the embedded broker's threads would otherwise keep a failed start alive
			System.exit(1);
		}
	}

}
