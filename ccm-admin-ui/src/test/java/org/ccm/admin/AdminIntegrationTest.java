package org.ccm.admin;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.ccm.core.testing.PostgresTestConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * The whole platform with these pages on real PostgreSQL and Kafka; one shared context
 * for every test class of this module.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(classes = AdminTestApplication.class,
		properties = { "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
				"ccm.tracking.base-url=https://ccm.example.com",
				"ccm.tracking.signing-secret=admin-test-signing-secret-0123456789abcdef" })
@AutoConfigureMockMvc
@Import({ PostgresTestConfiguration.class, StaffSecurity.class, Meters.class })
@EmbeddedKafka(partitions = 1)
@interface AdminIntegrationTest {

}
