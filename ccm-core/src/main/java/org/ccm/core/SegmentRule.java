package org.ccm.core;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import org.jspecify.annotations.Nullable;

/**
 * A segment's definition: a tree of conditions over customers, written as JSON with a
 * {@code type} on every node. Evaluated in PostgreSQL; values are always bound as
 * parameters.
 *
 * <pre>
 * {"type": "and", "rules": [
 *   {"type": "attribute", "name": "tier", "op": "in", "value": ["gold", "platinum"]},
 *   {"type": "bought", "product": "SKU-42", "withinDays": 90},
 *   {"type": "spend", "op": "gt", "amount": 500, "currency": "EUR"},
 *   {"type": "not", "rule": {"type": "engaged", "interaction": "OPENED", "withinDays": 180}},
 *   {"type": "consent", "channel": "EMAIL", "purpose": "MARKETING"}]}
 * </pre>
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({ @JsonSubTypes.Type(value = SegmentRule.And.class, name = "and"),
		@JsonSubTypes.Type(value = SegmentRule.Or.class, name = "or"),
		@JsonSubTypes.Type(value = SegmentRule.Not.class, name = "not"),
		@JsonSubTypes.Type(value = SegmentRule.Attribute.class, name = "attribute"),
		@JsonSubTypes.Type(value = SegmentRule.Profile.class, name = "profile"),
		@JsonSubTypes.Type(value = SegmentRule.Bought.class, name = "bought"),
		@JsonSubTypes.Type(value = SegmentRule.Spend.class, name = "spend"),
		@JsonSubTypes.Type(value = SegmentRule.Engaged.class, name = "engaged"),
		@JsonSubTypes.Type(value = SegmentRule.Consented.class, name = "consent"),
		@JsonSubTypes.Type(value = SegmentRule.Reachable.class, name = "reachable") })
public sealed interface SegmentRule {

	/** Every rule holds. */
	record And(List<SegmentRule> rules) implements SegmentRule {
	}

	/** At least one rule holds. */
	record Or(List<SegmentRule> rules) implements SegmentRule {
	}

	record Not(SegmentRule rule) implements SegmentRule {
	}

	/**
	 * A declared attribute compared with a value of its type. {@code ne} also matches
	 * customers without the attribute; {@code in} takes a list; {@code exists} takes no
	 * value; ordering comparisons need a NUMBER or DATE attribute.
	 */
	record Attribute(String name, Comparison op, @Nullable Object value) implements SegmentRule {
	}

	/**
	 * A profile field ({@code country}, {@code city}, {@code locale}, {@code timeZone},
	 * {@code status}).
	 */
	record Profile(ProfileField field, Comparison op, @Nullable Object value) implements SegmentRule {
	}

	/**
	 * Has at least {@code minCount} (default 1) transactions of the product (and type,
	 * when given) in the last {@code withinDays} days (ever, when absent).
	 */
	record Bought(@Nullable String product, @Nullable String transactionType, @Nullable Integer withinDays,
			@Nullable Integer minCount) implements SegmentRule {
	}

	/**
	 * The sum of transaction amounts (in {@code currency} when given, in the last
	 * {@code withinDays} days when given) compared with {@code amount}; no transactions
	 * count as 0.
	 */
	record Spend(Comparison op, BigDecimal amount, @Nullable String currency,
			@Nullable Integer withinDays) implements SegmentRule {
	}

	/**
	 * Has an interaction of the type on the timeline (on the channel, with a detail
	 * containing {@code detail}, in the last {@code withinDays} days, each when given).
	 * "Opened nothing in 6 months" is {@code not engaged OPENED withinDays 183}; "never
	 * answered a survey" is {@code not engaged RESPONDED detail {"kind": "survey"}}.
	 */
	record Engaged(InteractionType interaction, @Nullable Channel channel, @Nullable Integer withinDays,
			@Nullable Map<String, Object> detail) implements SegmentRule {
	}

	/** The customer's current consent for the channel and purpose is granted. */
	record Consented(Channel channel, Purpose purpose) implements SegmentRule {
	}

	/**
	 * The customer has a usable contact point for the channel (not bounced or
	 * suppressed).
	 */
	record Reachable(Channel channel) implements SegmentRule {
	}

	enum Comparison {

		@JsonProperty("eq")
		EQ, @JsonProperty("ne")
		NE, @JsonProperty("gt")
		GT, @JsonProperty("gte")
		GTE, @JsonProperty("lt")
		LT, @JsonProperty("lte")
		LTE, @JsonProperty("in")
		IN, @JsonProperty("exists")
		EXISTS

	}

	enum ProfileField {

		@JsonProperty("country")
		COUNTRY("c.country"), @JsonProperty("city")
		CITY("c.city"), @JsonProperty("locale")
		LOCALE("c.locale"), @JsonProperty("timeZone")
		TIME_ZONE("c.time_zone"), @JsonProperty("status")
		STATUS("c.status");

		final String column;

		ProfileField(String column) {
			this.column = column;
		}

	}

}
