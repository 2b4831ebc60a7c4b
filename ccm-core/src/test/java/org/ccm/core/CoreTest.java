package org.ccm.core;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.ccm.core.testing.PostgresTestConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;

/**
 * One application context (and one PostgreSQL database) shared by the module's
 * integration tests; tests use external ids of their own, so they do not see each other's
 * customers.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(classes = CoreTestApplication.class)
@AutoConfigureMockMvc
@Import(PostgresTestConfiguration.class)
@interface CoreTest {

}
