package org.ccm.core;

import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A segment rule is bounded in size before it reaches the database, and a query that
 * still runs too long is stopped by its statement timeout and answered as a problem. The
 * count timeout here is shorter than any count over a hundred thousand customers.
 */
@CoreTest
@TestPropertySource(properties = { "ccm.core.segments.max-rules=50", "ccm.core.segments.max-depth=5",
		"ccm.core.segments.max-in-values=20", "ccm.core.segments.statement-timeouts.count=1ms" })
class SegmentLimitsTests {

	@Autowired
	MockMvcTester mvc;

	@Autowired
	JdbcClient jdbc;

	@Test
	void tooManyRulesIsAFieldError() {
		String rules = IntStream.range(0, 60)
			.mapToObj((i) -> "{\"type\": \"profile\", \"field\": \"city\", \"op\": \"eq\", \"value\": \"C" + i + "\"}")
			.collect(Collectors.joining(","));
		var answer = assertThat(mvc.put()
			.uri("/api/v1/segments/too-many")
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"name\": \"many\", \"rule\": {\"type\": \"or\", \"rules\": [" + rules + "]}}")).hasStatus(400)
			.bodyJson();
		answer.extractingPath("$.type").isEqualTo("urn:ccm:problem:validation");
		answer.extractingPath("$.errors[0].field").isEqualTo("rule");
		answer.extractingPath("$.errors[0].message").asString().contains("61 rules").contains("at most 50");
		assertThat(jdbc.sql("SELECT count(*) FROM segment WHERE key = 'too-many'").query(Long.class).single()).isZero();
	}

	@Test
	void deepNestingIsAFieldError() {
		String rule = "{\"type\": \"reachable\", \"channel\": \"EMAIL\"}";
		for (int i = 0; i < 7; i++) {
			rule = "{\"type\": \"not\", \"rule\": " + rule + "}";
		}
		assertThat(mvc.post().uri("/api/v1/segments:count").contentType(MediaType.APPLICATION_JSON).content(rule))
			.hasStatus(400)
			.bodyJson()
			.extractingPath("$.errors[0].field")
			.isEqualTo("rule" + ".rule".repeat(6));
	}

	@Test
	void anInWithTooManyValuesIsAFieldError() {
		String values = IntStream.range(0, 21).mapToObj((i) -> "\"v" + i + "\"").collect(Collectors.joining(","));
		var answer = assertThat(mvc.post()
			.uri("/api/v1/segments:count")
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"type\": \"and\", \"rules\": [{\"type\": \"attribute\", \"name\": \"tier\", \"op\": \"in\", "
					+ "\"value\": [" + values + "]}]}"))
			.hasStatus(400)
			.bodyJson();
		answer.extractingPath("$.errors[0].field").isEqualTo("rule.rules[0].value");
		answer.extractingPath("$.errors[0].message").asString().contains("at most 20");
	}

	@Test
	void aCountOverItsStatementTimeoutIsAProblemNotAnInternalError() {
		jdbc.sql("""
				INSERT INTO customer (id, external_id, name, locale, time_zone, status, city, attributes,
				                      created_at, updated_at)
				SELECT gen_random_uuid(), 'LIMIT-' || n, 'Limit ' || n, 'en', 'UTC', 'ACTIVE', 'City ' || (n % 97),
				       jsonb_build_object('tier', 'tier' || (n % 13)), now(), now()
				  FROM generate_series(1, 100000) n
				""").update();
		String rules = IntStream.range(0, 40)
			.mapToObj((i) -> "{\"type\": \"profile\", \"field\": \"city\", \"op\": \"eq\", \"value\": \"City " + i
					+ "\"}")
			.collect(Collectors.joining(","));
		var answer = assertThat(mvc.post()
			.uri("/api/v1/segments:count")
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"type\": \"or\", \"rules\": [" + rules + "]}")).hasStatus(503).bodyJson();
		answer.extractingPath("$.type").isEqualTo("urn:ccm:problem:query-timeout");
		answer.extractingPath("$.title").isEqualTo("The query took too long");
		answer.extractingPath("$.errors[0].field").isEqualTo("rule");
		// the timeout was local to the cancelled transaction
		assertThat(jdbc.sql("SELECT current_setting('statement_timeout')").query(String.class).single()).isEqualTo("0");
	}

}
