package org.ccm.templates;

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
 * integration tests; tests use template keys and customers of their own.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(classes = TemplatesTestApplication.class,
		properties = "ccm.templates.links.portal=https://portal.example.com/")
@AutoConfigureMockMvc
@Import(PostgresTestConfiguration.class)
@interface TemplatesTest {

}
