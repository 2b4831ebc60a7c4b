package org.ccm.core;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.ccm.core.SegmentRule.Comparison;
import org.ccm.core.SegmentRule.Profile;
import org.ccm.core.SegmentRule.ProfileField;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Two people editing one saved segment: whoever saves second, based on what the first has
 * since changed, is refused instead of overwriting it.
 */
@CoreTest
class SegmentEditingTests {

	static final SegmentRule LONDON = new Profile(ProfileField.CITY, Comparison.EQ, "London");

	static final SegmentRule PARIS = new Profile(ProfileField.CITY, Comparison.EQ, "Paris");

	@Autowired
	Segments segments;

	@Autowired
	SegmentRepository repository;

	@Autowired
	PlatformTransactionManager transactions;

	@Autowired
	MockMvcTester mvc;

	@Autowired
	JsonMapper json;

	final String key = "edited-" + UUID.randomUUID().toString().substring(0, 8);

	@Test
	void aSegmentChangedSinceItWasReadIsNotOverwritten() {
		assertThat(this.segments.save(this.key, "Londoners", LONDON)).isTrue();
		long read = this.segments.find(this.key).orElseThrow().version();
		assertThat(read).isZero();

		assertThat(this.segments.save(this.key, "Londoners (city)", LONDON, read)).isFalse();
		assertThatExceptionOfType(ConcurrentEditException.class)
			.isThrownBy(() -> this.segments.save(this.key, "Parisians", PARIS, read))
			.satisfies((ex) -> assertThat(ex.field()).isEqualTo("version"))
			.withMessageContaining("segment '" + this.key + "'")
			.withMessageContaining("version 0")
			.withMessageContaining("version 1");
		Segment stored = this.segments.find(this.key).orElseThrow();
		assertThat(stored.name()).isEqualTo("Londoners (city)");
		assertThat(stored.rule()).isEqualTo(LONDON);
		assertThat(stored.version()).isEqualTo(1);
	}

	@Test
	void aStaleReplacementOverRestIsAConflictNamingTheSegment() {
		// written as a rule, so that it carries its type
		Object rule = this.json.readTree(this.json.writerFor(SegmentRule.class).writeValueAsString(LONDON));
		Map<String, Object> body = new LinkedHashMap<>(Map.of("name", "Londoners", "rule", rule));
		assertThat(put(body)).hasStatus(201).bodyJson().extractingPath("$.version").isEqualTo(0);
		body.put("version", 0);
		body.put("name", "Londoners, edited");
		assertThat(put(body)).hasStatusOk().bodyJson().extractingPath("$.version").isEqualTo(1);

		body.put("name", "Londoners, edited from the old page");
		var conflict = assertThat(put(body)).hasStatus(409)
			.hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
			.bodyJson();
		conflict.extractingPath("$.status").isEqualTo(409);
		conflict.extractingPath("$.detail").asString().contains("segment '" + this.key + "'", "version 1");
		conflict.extractingPath("$.errors[0].field").isEqualTo("version");
		assertThat(this.segments.find(this.key).orElseThrow().name()).isEqualTo("Londoners, edited");

		// a client that sends no version replaces whatever is stored, as before
		body.remove("version");
		assertThat(put(body)).hasStatusOk();
		// a segment deleted meanwhile is not brought back by an edit of it
		this.segments.delete(this.key);
		body.put("version", 2);
		assertThat(put(body)).hasStatus(409);
		assertThat(this.segments.find(this.key)).isEmpty();
	}

	@Test
	void aWriteRacingAnotherIsRefusedByTheStoredVersion() {
		this.segments.save(this.key, "Londoners", LONDON);
		TransactionTemplate mine = new TransactionTemplate(this.transactions);
		TransactionTemplate theirs = new TransactionTemplate(this.transactions);
		theirs.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
		assertThatExceptionOfType(OptimisticLockingFailureException.class)
			.isThrownBy(() -> mine.executeWithoutResult((status) -> {
				SegmentEntity segment = this.repository.findById(this.key).orElseThrow();
				// someone else saves between this editor's read and write
				theirs.executeWithoutResult((other) -> this.segments.save(this.key, "Parisians", PARIS));
				segment.change("Londoners again", this.json.writeValueAsString(LONDON), Instant.now());
				this.repository.saveAndFlush(segment);
			}));
		assertThat(this.segments.find(this.key)).hasValueSatisfying((segment) -> {
			assertThat(segment.name()).isEqualTo("Parisians");
			assertThat(segment.version()).isEqualTo(1);
		});
	}

	private MockMvcTester.MockMvcRequestBuilder put(Map<String, Object> body) {
		return this.mvc.put()
			.uri("/api/v1/segments/{key}", this.key)
			.contentType(MediaType.APPLICATION_JSON)
			.content(this.json.writeValueAsString(body));
	}

}
