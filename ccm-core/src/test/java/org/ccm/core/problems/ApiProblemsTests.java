package org.ccm.core.problems;

import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

import org.ccm.core.testing.EmbeddedPostgresServer;
import org.hibernate.TransactionException;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.orm.jpa.JpaSystemException;
import org.springframework.stereotype.Controller;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fallback answers what nobody else mapped, in the shared shape, and never tells a
 * client what failed inside.
 */
class ApiProblemsTests {

	private final MockMvcTester mvc = MockMvcTester.create(
			MockMvcBuilders.standaloneSetup(new Failing(), new Page()).setControllerAdvice(new ApiProblems()).build());

	@Test
	void anUnexpectedExceptionIsAnInternalProblemThatKeepsItsCauseToItself() {
		assertThat(mvc.get().uri("/api/fail")).hasStatus(500)
			.hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
			.bodyJson()
			.satisfies((body) -> assertThat(body.getJson()).doesNotContain("jdbc:secret")
				.doesNotContain("IllegalStateException"))
			.hasPathSatisfying("$.type", (type) -> assertThat(type).isEqualTo("urn:ccm:problem:internal"))
			.hasPathSatisfying("$.title", (title) -> assertThat(title).isEqualTo("Internal error"))
			.hasPathSatisfying("$.instance", (instance) -> assertThat(instance).isEqualTo("/api/fail"));
	}

	@Test
	void aPageKeepsTheApplicationsErrorPage() {
		assertThat(mvc.get().uri("/page")).hasFailed().failure().hasRootCauseInstanceOf(IllegalStateException.class);
	}

	@Test
	void anExceptionThatNamesItsProblemIsAnsweredWithIt() {
		assertThat(mvc.get().uri("/api/described")).hasStatus(422)
			.hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
			.bodyJson()
			.hasPathSatisfying("$.type", (type) -> assertThat(type).isEqualTo("urn:ccm:problem:unprocessable"))
			.hasPathSatisfying("$.errors[0].field", (field) -> assertThat(field).isEqualTo("template"));
	}

	@Test
	void malformedJsonIsAValidationProblemOnTheBody() {
		assertThat(mvc.post().uri("/api/echo").contentType(MediaType.APPLICATION_JSON).content("{\"name\": "))
			.hasStatus(400)
			.hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
			.bodyJson()
			.hasPathSatisfying("$.type", (type) -> assertThat(type).isEqualTo("urn:ccm:problem:validation"))
			.hasPathSatisfying("$.errors[0].field", (field) -> assertThat(field).isEqualTo("body"));
	}

	@Test
	void theFrameworksOwnRefusalsGetTheirTypes() {
		assertThat(mvc.put().uri("/api/echo").contentType(MediaType.APPLICATION_JSON).content("{}")).hasStatus(405)
			.bodyJson()
			.hasPathSatisfying("$.type", (type) -> assertThat(type).isEqualTo("urn:ccm:problem:method-not-allowed"))
			.hasPathSatisfying("$.title", (title) -> assertThat(title).isEqualTo("Method not allowed"));
		assertThat(mvc.post().uri("/api/echo").contentType(MediaType.TEXT_PLAIN).content("x")).hasStatus(415)
			.bodyJson()
			.hasPathSatisfying("$.type",
					(type) -> assertThat(type).isEqualTo("urn:ccm:problem:unsupported-media-type"));
	}

	@Test
	void anUnreachableDatabaseAnswersAtOnceWithUnavailableAndWhenToRetry() throws Exception {
		int closed;
		try (ServerSocket socket = new ServerSocket(0)) {
			closed = socket.getLocalPort();
		}
		HikariDataSource database = new HikariDataSource();
		database.setJdbcUrl("jdbc:postgresql://127.0.0.1:" + closed + "/ccm");
		database.setConnectionTimeout(250);
		database.setInitializationFailTimeout(-1);
		try (database) {
			MockMvcTester api = MockMvcTester.create(MockMvcBuilders.standaloneSetup(new Reading(database))
				.setControllerAdvice(new ApiProblems())
				.build());
			for (String path : List.of("/api/read", "/api/write")) {
				assertThat(api.get().uri(path)).hasStatus(503)
					.hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
					.hasHeader("Retry-After", "5")
					.bodyJson()
					.hasPathSatisfying("$.type", (type) -> assertThat(type).isEqualTo("urn:ccm:problem:unavailable"))
					.hasPathSatisfying("$.detail",
							(detail) -> assertThat(detail).asString()
								.contains("cannot reach its database")
								.doesNotContain("too busy")
								.doesNotContain(String.valueOf(closed)));
			}
		}
	}

	@Test
	void aPoolWithEveryConnectionInUseAnswersUnavailableAndSaysItIsBusy() throws Exception {
		HikariDataSource database = new HikariDataSource();
		database.setJdbcUrl(EmbeddedPostgresServer.newDatabase());
		database.setUsername("postgres");
		database.setPassword("postgres");
		database.setMaximumPoolSize(1);
		database.setConnectionTimeout(250);
		try (database; Connection held = database.getConnection()) {
			assertThat(held.isValid(1)).as("the database answers").isTrue();
			MockMvcTester api = MockMvcTester.create(MockMvcBuilders.standaloneSetup(new Reading(database))
				.setControllerAdvice(new ApiProblems())
				.build());
			for (String path : List.of("/api/read", "/api/write")) {
				assertThat(api.get().uri(path)).hasStatus(503)
					.hasHeader("Retry-After", "5")
					.bodyJson()
					.hasPathSatisfying("$.type", (type) -> assertThat(type).isEqualTo("urn:ccm:problem:unavailable"))
					.hasPathSatisfying("$.detail",
							(detail) -> assertThat(detail).asString()
								.contains("too busy")
								.doesNotContain("cannot reach its database"));
			}
		}
	}

	@Test
	void aConnectionLostInTheMiddleOfATransactionIsUnavailableToo() {
		assertThat(mvc.get().uri("/api/lost")).hasStatus(503)
			.hasHeader("Retry-After", "5")
			.bodyJson()
			.hasPathSatisfying("$.type", (type) -> assertThat(type).isEqualTo("urn:ccm:problem:unavailable"));
	}

	@Test
	void aRollbackOnAConnectionThePoolClosedIsUnavailableToo() {
		assertThat(mvc.get().uri("/api/closed")).hasStatus(503)
			.hasHeader("Retry-After", "5")
			.bodyJson()
			.hasPathSatisfying("$.type", (type) -> assertThat(type).isEqualTo("urn:ccm:problem:unavailable"));
	}

	/** Reads and writes through a database that is not there. */
	@RestController
	static class Reading {

		private final JdbcClient jdbc;

		private final TransactionTemplate transaction;

		Reading(DataSource database) {
			this.jdbc = JdbcClient.create(database);
			this.transaction = new TransactionTemplate(new DataSourceTransactionManager(database));
		}

		@GetMapping("/api/read")
		Integer read() {
			return this.jdbc.sql("SELECT 1").query(Integer.class).single();
		}

		@GetMapping("/api/write")
		Integer write() {
			return this.transaction.execute((status) -> this.jdbc.sql("SELECT 1").query(Integer.class).single());
		}

	}

	@RestController
	static class Failing {

		@GetMapping("/api/lost")
		String lost() {
			// what a rollback on a connection the server closed gives
			throw new IllegalStateException("Unable to rollback against JDBC Connection",
					new SQLException("An I/O error occurred while sending to the backend.", "08006"));
		}

		@GetMapping("/api/closed")
		String closed() {
			// what Hibernate says when the pool closed the broken connection before the
			// rollback (PostgreSQL restarted in the middle of an accept)
			throw new JpaSystemException(new TransactionException("Unable to rollback against JDBC Connection",
					new SQLException("Connection is closed")));
		}

		@GetMapping("/api/fail")
		String fail() {
			throw new IllegalStateException("cannot reach jdbc:secret@db");
		}

		@GetMapping("/api/described")
		String described() {
			throw new ProblemException(ProblemType.UNPROCESSABLE, "no published template 'x'",
					List.of(new FieldProblem("template", "no published template 'x'")));
		}

		@PostMapping("/api/echo")
		Named echo(@RequestBody Named body) {
			return body;
		}

	}

	@Controller
	static class Page {

		@GetMapping("/page")
		String page() {
			throw new IllegalStateException("a page failed");
		}

	}

	record Named(String name) {
	}

}
