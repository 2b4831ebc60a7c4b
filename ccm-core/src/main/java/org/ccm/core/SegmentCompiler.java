package org.ccm.core;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.ccm.core.SegmentRule.Comparison;
import org.jspecify.annotations.Nullable;

import tools.jackson.databind.json.JsonMapper;

/**
 * Turns a rule tree into one SQL condition over {@code customer c}. Only fixed SQL text
 * is written; every name and value from the rule (attribute names included) is a bind
 * parameter, and attribute names must be declared.
 */
final class SegmentCompiler {

	private final CustomerAttributes attributes;

	private final JsonMapper json;

	private final Map<String, Object> params = new LinkedHashMap<>();

	private final Map<String, String> problems = new LinkedHashMap<>();

	private final String prefix;

	private final Limits limits;

	private int rules;

	/**
	 * How large a tree may be: a rule of 20,000 alternatives or an {@code in} with
	 * 100,000 values costs the database far more than any real segment needs.
	 */
	record Limits(int maxRules, int maxDepth, int maxInValues) {

		static final Limits NONE = new Limits(Integer.MAX_VALUE, 32, Integer.MAX_VALUE);

	}

	SegmentCompiler(CustomerAttributes attributes, JsonMapper json, String prefix, Limits limits) {
		this.attributes = attributes;
		this.json = json;
		this.prefix = prefix;
		this.limits = limits;
	}

	/**
	 * @throws InvalidSegmentException listing every problem of the tree
	 */
	SegmentCondition compile(@Nullable SegmentRule rule, String path) {
		String sql = condition(rule, path, 0);
		if (rules > limits.maxRules()) {
			problems.put(path, "has " + rules + " rules; at most " + limits.maxRules() + " are allowed");
		}
		if (!problems.isEmpty()) {
			throw new InvalidSegmentException(problems);
		}
		return new SegmentCondition("(" + sql + ")", Map.copyOf(params));
	}

	private String condition(@Nullable SegmentRule rule, String path, int depth) {
		if (rule == null) {
			problems.put(path, "is required");
			return "TRUE";
		}
		if (depth > limits.maxDepth()) {
			problems.put(path, "is nested too deeply: at most " + limits.maxDepth() + " levels are allowed");
			return "TRUE";
		}
		rules++;
		// a switch over the sealed type needs Java 21; the release target is 17
		if (rule instanceof SegmentRule.And and) {
			return combine(and.rules(), " AND ", path, depth);
		}
		if (rule instanceof SegmentRule.Or or) {
			return combine(or.rules(), " OR ", path, depth);
		}
		if (rule instanceof SegmentRule.Not not) {
			// every condition is TRUE or FALSE, never NULL: NOT EXISTS then plans as an
			// anti-join
			return "NOT (" + condition(not.rule(), path + ".rule", depth + 1) + ")";
		}
		if (rule instanceof SegmentRule.Attribute attribute) {
			return attribute(attribute, path);
		}
		if (rule instanceof SegmentRule.Profile profile) {
			return profile(profile, path);
		}
		if (rule instanceof SegmentRule.Bought bought) {
			return bought(bought, path);
		}
		if (rule instanceof SegmentRule.Spend spend) {
			return spend(spend, path);
		}
		if (rule instanceof SegmentRule.Engaged engaged) {
			return engaged(engaged, path);
		}
		if (rule instanceof SegmentRule.Consented consented) {
			return consented(consented, path);
		}
		return reachable((SegmentRule.Reachable) rule, path);
	}

	private String combine(@Nullable List<SegmentRule> rules, String operator, String path, int depth) {
		if (rules == null || rules.isEmpty()) {
			problems.put(path + ".rules", "must have at least one rule");
			return "TRUE";
		}
		List<String> parts = new ArrayList<>();
		for (int i = 0; i < rules.size(); i++) {
			parts.add("(" + condition(rules.get(i), path + ".rules[" + i + "]", depth + 1) + ")");
		}
		return String.join(operator, parts);
	}

	private String attribute(SegmentRule.Attribute rule, String path) {
		if (rule.name() == null || rule.op() == null) {
			problems.put(path, "needs a name and an op");
			return "TRUE";
		}
		AttributeDefinition definition = attributes.find(rule.name()).orElse(null);
		if (definition == null) {
			problems.put(path + ".name", "is not a declared attribute");
			return "TRUE";
		}
		String name = bind(rule.name());
		AttributeType type = definition.type();
		Comparison op = rule.op();
		if (op == Comparison.EXISTS) {
			return "c.attributes -> " + name + " IS NOT NULL";
		}
		if (op == Comparison.IN) {
			if (!(rule.value() instanceof List<?> values) || values.isEmpty()) {
				problems.put(path + ".value", "must be a non-empty list for 'in'");
				return "TRUE";
			}
			if (values.size() > limits.maxInValues()) {
				problems.put(path + ".value", "has " + values.size() + " values; at most " + limits.maxInValues()
						+ " are allowed (declare an attribute for the group instead)");
				return "TRUE";
			}
			List<String> any = new ArrayList<>();
			for (int i = 0; i < values.size(); i++) {
				Object value = values.get(i);
				if (value == null || !type.accepts(value)) {
					problems.put(path + ".value[" + i + "]", "must be of type " + type);
				}
				else {
					any.add(contains(rule.name(), value));
				}
			}
			return any.isEmpty() ? "TRUE" : "(" + String.join(" OR ", any) + ")";
		}
		Object value = rule.value();
		if (value == null || !type.accepts(value)) {
			problems.put(path + ".value", "must be of type " + type);
			return "TRUE";
		}
		return switch (op) {
			case EQ -> contains(rule.name(), value);
			case NE -> "NOT " + contains(rule.name(), value);
			default -> ordered(type, name, op, value, path);
		};
	}

	// containment uses the GIN index on attributes
	private String contains(String name, Object value) {
		return "c.attributes @> CAST(" + bind(json.writeValueAsString(Map.of(name, value))) + " AS jsonb)";
	}

	private String ordered(AttributeType type, String name, Comparison op, Object value, String path) {
		return switch (type) {
			case NUMBER -> "COALESCE((c.attributes ->> " + name + ")::numeric " + operator(op) + " "
					+ bind(new BigDecimal(value.toString())) + ", FALSE)";
			case DATE -> "COALESCE((c.attributes ->> " + name + ")::date " + operator(op) + " CAST(" + bind(value)
					+ " AS date), FALSE)";
			default -> {
				problems.put(path + ".op",
						"'" + op.name().toLowerCase(Locale.ROOT) + "' needs a NUMBER or DATE attribute");
				yield "TRUE";
			}
		};
	}

	private String profile(SegmentRule.Profile rule, String path) {
		if (rule.field() == null || rule.op() == null) {
			problems.put(path, "needs a field and an op");
			return "TRUE";
		}
		String column = rule.field().column;
		return switch (rule.op()) {
			case EQ, NE -> {
				if (!(rule.value() instanceof String value)) {
					problems.put(path + ".value", "must be a string");
					yield "TRUE";
				}
				String equal = "COALESCE(" + column + " = " + bind(profileValue(rule.field(), value)) + ", FALSE)";
				yield (rule.op() == Comparison.EQ) ? equal : "NOT " + equal;
			}
			case IN -> {
				if (!(rule.value() instanceof List<?> values) || values.isEmpty()
						|| !values.stream().allMatch(String.class::isInstance)) {
					problems.put(path + ".value", "must be a non-empty list of strings for 'in'");
					yield "TRUE";
				}
				yield column + " = ANY("
						+ bind(values.stream()
							.map((value) -> profileValue(rule.field(), (String) value))
							.toArray(String[]::new))
						+ ")";
			}
			case EXISTS -> column + " IS NOT NULL";
			default -> {
				problems.put(path + ".op", "must be eq, ne, in or exists for a profile field");
				yield "TRUE";
			}
		};
	}

	private static String profileValue(SegmentRule.ProfileField field, String value) {
		return switch (field) {
			case COUNTRY, STATUS -> value.strip().toUpperCase(Locale.ROOT);
			default -> value.strip();
		};
	}

	private String bought(SegmentRule.Bought rule, String path) {
		StringBuilder sql = new StringBuilder("FROM customer_transaction t WHERE t.customer_id = c.id");
		if (rule.product() != null) {
			sql.append(" AND t.product = ").append(bind(rule.product()));
		}
		if (rule.transactionType() != null) {
			sql.append(" AND t.type = ").append(bind(rule.transactionType()));
		}
		if (rule.product() == null && rule.transactionType() == null) {
			problems.put(path, "needs a product or a transactionType");
		}
		within(sql, "t.occurred_at", rule.withinDays(), path);
		int minCount = (rule.minCount() != null) ? rule.minCount() : 1;
		if (minCount < 1) {
			problems.put(path + ".minCount", "must be at least 1");
		}
		return (minCount <= 1) ? "EXISTS (SELECT 1 " + sql + ")" : "(SELECT count(*) " + sql + ") >= " + bind(minCount);
	}

	private String spend(SegmentRule.Spend rule, String path) {
		if (rule.op() == null || rule.amount() == null) {
			problems.put(path, "needs an op and an amount");
			return "TRUE";
		}
		if (rule.op() == Comparison.IN || rule.op() == Comparison.EXISTS) {
			problems.put(path + ".op", "must be a comparison (eq, ne, gt, gte, lt, lte)");
			return "TRUE";
		}
		StringBuilder sql = new StringBuilder("SELECT t.customer_id FROM customer_transaction t WHERE TRUE");
		if (rule.currency() != null) {
			try {
				sql.append(" AND t.currency = ").append(bind(Currency.getInstance(rule.currency()).getCurrencyCode()));
			}
			catch (IllegalArgumentException ex) {
				problems.put(path + ".currency", "must be an ISO 4217 code such as EUR");
			}
		}
		within(sql, "t.occurred_at", rule.withinDays(), path);
		sql.append(" GROUP BY t.customer_id HAVING ");
		String comparison = "sum(t.amount) " + operator(rule.op()) + " " + bind(rule.amount());
		// sums are grouped once for all customers (a per-customer subquery took 23 s over
		// a million);
		// customers without transactions spend 0, so they belong exactly when 0 passes
		// the comparison
		if (passes(BigDecimal.ZERO, rule.op(), rule.amount())) {
			// NOT EXISTS over the grouped rows plans as an anti-join; NOT IN would search
			// a list per customer
			return "NOT EXISTS (SELECT 1 FROM (" + sql + "NOT COALESCE(" + comparison
					+ ", TRUE)) g WHERE g.customer_id = c.id)";
		}
		return "c.id IN (" + sql + comparison + ")";
	}

	private static boolean passes(BigDecimal value, Comparison op, BigDecimal bound) {
		int compared = value.compareTo(bound);
		return switch (op) {
			case EQ -> compared == 0;
			case NE -> compared != 0;
			case GT -> compared > 0;
			case GTE -> compared >= 0;
			case LT -> compared < 0;
			case LTE -> compared <= 0;
			default -> false;
		};
	}

	private String engaged(SegmentRule.Engaged rule, String path) {
		if (rule.interaction() == null) {
			problems.put(path + ".interaction", "is required");
			return "TRUE";
		}
		if (rule.detail() == null || rule.detail().isEmpty()) {
			// the latest interaction of each type and channel answers without the
			// timeline
			StringBuilder sql = new StringBuilder(
					"EXISTS (SELECT 1 FROM customer_engagement e WHERE e.customer_id = c.id AND e.type = ")
				.append(bind(rule.interaction().name()));
			if (rule.channel() != null) {
				sql.append(" AND e.channel = ").append(bind(rule.channel().name()));
			}
			within(sql, "e.last_at", rule.withinDays(), path);
			return sql + ")";
		}
		StringBuilder sql = new StringBuilder(
				"EXISTS (SELECT 1 FROM interaction i WHERE i.customer_id = c.id AND i.type = ")
			.append(bind(rule.interaction().name()));
		if (rule.channel() != null) {
			sql.append(" AND i.channel = ").append(bind(rule.channel().name()));
		}
		sql.append(" AND i.detail @> CAST(").append(bind(json.writeValueAsString(rule.detail()))).append(" AS jsonb)");
		within(sql, "i.occurred_at", rule.withinDays(), path);
		return sql + ")";
	}

	private String consented(SegmentRule.Consented rule, String path) {
		if (rule.channel() == null || rule.purpose() == null) {
			problems.put(path, "needs a channel and a purpose");
			return "TRUE";
		}
		String granted = "(SELECT e.granted FROM consent_event e WHERE e.customer_id = c.id AND e.channel = "
				+ bind(rule.channel().name()) + " AND e.purpose = " + bind(rule.purpose().name())
				+ " ORDER BY e.recorded_at DESC, e.id DESC LIMIT 1)";
		// transactional messages need no opt-in: only an explicit objection counts
		return (rule.purpose() == Purpose.TRANSACTIONAL) ? "COALESCE(" + granted + ", TRUE)"
				: "COALESCE(" + granted + ", FALSE)";
	}

	private String reachable(SegmentRule.Reachable rule, String path) {
		if (rule.channel() == null) {
			problems.put(path + ".channel", "is required");
			return "TRUE";
		}
		return switch (rule.channel()) {
			case EMAIL -> "(c.email IS NOT NULL AND c.email_state IN ('UNVERIFIED', 'VERIFIED'))";
			case SMS -> "(c.phone IS NOT NULL AND c.phone_state IN ('UNVERIFIED', 'VERIFIED'))";
			case PRINT -> "(c.country IS NOT NULL AND c.address_state IN ('UNVERIFIED', 'VERIFIED'))";
			case PORTAL -> "c.status = 'ACTIVE'";
		};
	}

	private void within(StringBuilder sql, String column, @Nullable Integer days, String path) {
		if (days == null) {
			return;
		}
		if (days < 1 || days > 36_600) {
			problems.put(path + ".withinDays", "must be between 1 and 36600");
			return;
		}
		sql.append(" AND ").append(column).append(" >= now() - make_interval(days => ").append(bind(days)).append(")");
	}

	private static String operator(Comparison op) {
		return switch (op) {
			case EQ -> "=";
			case NE -> "<>";
			case GT -> ">";
			case GTE -> ">=";
			case LT -> "<";
			case LTE -> "<=";
			default -> throw new IllegalArgumentException(op.name());
		};
	}

	private String bind(Object value) {
		String name = prefix + params.size();
		params.put(name, value);
		return ":" + name;
	}

}
