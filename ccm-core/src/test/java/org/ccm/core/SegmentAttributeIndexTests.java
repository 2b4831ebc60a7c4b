package org.ccm.core;

import java.util.List;

import org.ccm.core.SegmentRule.Attribute;
import org.ccm.core.SegmentRule.Comparison;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Transactional;

import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The GIN index on {@code customer.attributes} is built with {@code jsonb_path_ops}
 * (smaller and cheaper for imports to maintain than the default operator class): it
 * serves containment ({@code @>}), which is how the segment compiler writes equality and
 * {@code in} rules. The other attribute rules ({@code ne}, {@code exists}, ordered
 * comparisons) could not use a GIN index of either class in the form the compiler writes
 * them.
 */
@CoreTest
class SegmentAttributeIndexTests {

	@Autowired
	CustomerAttributes attributes;

	@Autowired
	JsonMapper json;

	@Autowired
	JdbcClient jdbc;

	@Test
	@Transactional
	void equalityAndInRulesOnAttributesUseTheIndex() {
		assertThat(jdbc.sql("""
				SELECT pg_get_indexdef('customer_attributes_idx'::regclass)
				""").query(String.class).single()).contains("gin (attributes jsonb_path_ops)");
		// the planner prefers a scan of a small table: make the index's use visible
		jdbc.sql("SET LOCAL enable_seqscan = off").update();

		assertThat(plan(new Attribute("tier", Comparison.EQ, "gold"))).contains("customer_attributes_idx");
		assertThat(plan(new Attribute("tier", Comparison.IN, List.of("gold", "silver"))))
			.contains("customer_attributes_idx");
		assertThat(plan(new Attribute("tier", Comparison.EXISTS, null))).doesNotContain("customer_attributes_idx");
	}

	private String plan(SegmentRule rule) {
		SegmentCondition condition = new SegmentCompiler(attributes, json, "p", SegmentCompiler.Limits.NONE)
			.compile(rule, "rule");
		return String.join("\n",
				jdbc.sql("EXPLAIN SELECT count(*) FROM customer c WHERE " + condition.sql())
					.params(condition.params())
					.query(String.class)
					.list());
	}

}
