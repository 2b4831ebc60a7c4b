package org.ccm.core;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.ccm.core.SegmentRule.And;
import org.ccm.core.SegmentRule.Attribute;
import org.ccm.core.SegmentRule.Bought;
import org.ccm.core.SegmentRule.Comparison;
import org.ccm.core.SegmentRule.Consented;
import org.ccm.core.SegmentRule.Engaged;
import org.ccm.core.SegmentRule.Not;
import org.ccm.core.SegmentRule.Or;
import org.ccm.core.SegmentRule.Profile;
import org.ccm.core.SegmentRule.ProfileField;
import org.ccm.core.SegmentRule.Reachable;
import org.ccm.core.SegmentRule.Spend;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Segment rules against a hand-built population of four customers in "Segtown", whose
 * expected members are worked out by hand in each test.
 */
@CoreTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SegmentsTests {

	@Autowired
	Segments segments;

	@Autowired
	Customers customers;

	@Autowired
	Transactions transactions;

	@Autowired
	Timeline timeline;

	@Autowired
	CustomerAttributes attributes;

	UUID s1;

	UUID s2;

	UUID s3;

	UUID s4;

	static final Profile SEGTOWN = new Profile(ProfileField.CITY, Comparison.EQ, "Segtown");

	@BeforeAll
	void population() {
		attributes.define(new AttributeDefinition("lifetime_value", AttributeType.NUMBER, false, null));
		attributes.define(new AttributeDefinition("newsletter", AttributeType.BOOLEAN, false, null));
		attributes.define(new AttributeDefinition("birth_date", AttributeType.DATE, true, null));
		s1 = customer("SEG-1", Map.of("tier", "gold", "lifetime_value", 1200, "birth_date", "1980-02-01"));
		s2 = customer("SEG-2", Map.of("tier", "silver", "lifetime_value", 300, "birth_date", "1995-07-15"));
		s3 = customer("SEG-3", Map.of("tier", "gold"));
		s4 = customer("SEG-4", Map.of("lifetime_value", 800.5, "newsletter", true));
		customers.markContactState(s3, Channel.EMAIL, ContactState.BOUNCED, "hard bounce");
		customers.recordConsent(s1, Channel.EMAIL, Purpose.MARKETING, true, "web form");
		customers.recordConsent(s2, Channel.EMAIL, Purpose.MARKETING, true, "web form");
		customers.recordConsent(s2, Channel.EMAIL, Purpose.MARKETING, false, "unsubscribe");
		purchase(s1, "SKU-1", "300", 10);
		purchase(s1, "SKU-2", "250", 200);
		purchase(s2, "SKU-1", "50", 100);
		purchase(s4, "SKU-2", "600", 5);
		engage(s1, InteractionType.OPENED, 20, Map.of());
		engage(s2, InteractionType.OPENED, 300, Map.of());
		engage(s2, InteractionType.RESPONDED, 10, Map.of("kind", "survey"));
		engage(s4, InteractionType.RESPONDED, 3, Map.of("kind", "feedback"));
		engage(s4, InteractionType.OPENED, 10, Map.of());
	}

	UUID customer(String externalId, Map<String, Object> attributes) {
		return customers
			.upsert(externalId,
					new CustomerDetails(externalId, null, null, externalId.toLowerCase() + "@example.com", null,
							new PostalAddress(List.of("1 High Street"), "AB1 2CD", "Segtown", "GB",
									ContactState.UNVERIFIED),
							attributes, Map.of(), null, List.of()))
			.id();
	}

	void purchase(UUID customer, String product, String amount, int daysAgo) {
		transactions.record(customer, new TransactionDetails("PURCHASE", product, new BigDecimal(amount), "EUR",
				Instant.now().minus(Duration.ofDays(daysAgo)), Map.of()));
	}

	void engage(UUID customer, InteractionType type, int daysAgo, Map<String, Object> detail) {
		timeline.record(new Interaction(customer, type, Channel.EMAIL, null, null,
				Instant.now().minus(Duration.ofDays(daysAgo)), detail));
	}

	List<UUID> members(SegmentRule rule) {
		SegmentRule inTown = new And(List.of(SEGTOWN, rule));
		List<UUID> ids = new ArrayList<>();
		segments.forEachMember(inTown, (member) -> ids.add(member.id()));
		assertThat(segments.count(inTown)).isEqualTo(ids.size());
		return ids;
	}

	@Test
	void transactionRules() {
		assertThat(members(new Bought("SKU-1", null, 90, null))).containsExactly(s1);
		assertThat(members(new Bought("SKU-1", null, null, null))).containsExactly(s1, s2);
		assertThat(members(new Bought(null, "PURCHASE", null, 2))).containsExactly(s1);
		// total spend: s1 550, s2 50, s3 0, s4 600
		assertThat(members(new Spend(Comparison.GT, new BigDecimal("500"), "EUR", null))).containsExactly(s1, s4);
		// in the last 90 days: s1 300, s4 600
		assertThat(members(new Spend(Comparison.GT, new BigDecimal("500"), null, 90))).containsExactly(s4);
		assertThat(members(new Spend(Comparison.LTE, new BigDecimal("50"), null, null))).containsExactly(s2, s3);
	}

	@Test
	void engagementRules() {
		// opened nothing in 6 months: s2 opened 300 days ago, s3 never
		assertThat(members(new Not(new Engaged(InteractionType.OPENED, null, 183, null)))).containsExactly(s2, s3);
		// never answered a survey: only s2 did
		assertThat(members(new Not(new Engaged(InteractionType.RESPONDED, null, null, Map.of("kind", "survey")))))
			.containsExactly(s1, s3, s4);
		assertThat(members(new Engaged(InteractionType.RESPONDED, Channel.EMAIL, 7, null))).containsExactly(s4);
	}

	@Test
	void attributeRules() {
		assertThat(members(new Attribute("tier", Comparison.EQ, "gold"))).containsExactly(s1, s3);
		// ne includes customers without the attribute
		assertThat(members(new Attribute("tier", Comparison.NE, "gold"))).containsExactly(s2, s4);
		assertThat(members(new Attribute("tier", Comparison.IN, List.of("silver", "bronze")))).containsExactly(s2);
		assertThat(members(new Attribute("lifetime_value", Comparison.LT, 1000))).containsExactly(s2, s4);
		// not: customers without a value are not "less than 1000" either
		assertThat(members(new Not(new Attribute("lifetime_value", Comparison.LT, 1000)))).containsExactly(s1, s3);
		assertThat(members(new Attribute("lifetime_value", Comparison.GTE, 800.5))).containsExactly(s1, s4);
		assertThat(members(new Attribute("newsletter", Comparison.EQ, true))).containsExactly(s4);
		assertThat(members(new Attribute("birth_date", Comparison.LT, "1990-01-01"))).containsExactly(s1);
		assertThat(members(new Attribute("lifetime_value", Comparison.EXISTS, null))).containsExactly(s1, s2, s4);
	}

	@Test
	void combinedRulesConsentAndReachability() {
		assertThat(members(new And(List.of(new Attribute("tier", Comparison.EQ, "gold"),
				new Spend(Comparison.GT, new BigDecimal("500"), null, null)))))
			.containsExactly(s1);
		assertThat(members(new Or(List.of(new Attribute("tier", Comparison.EQ, "silver"),
				new Attribute("lifetime_value", Comparison.GTE, 800)))))
			.containsExactly(s1, s2, s4);
		// s2 withdrew the consent it gave
		assertThat(members(new Consented(Channel.EMAIL, Purpose.MARKETING))).containsExactly(s1);
		assertThat(members(new Consented(Channel.SMS, Purpose.TRANSACTIONAL))).containsExactly(s1, s2, s3, s4);
		assertThat(members(new Reachable(Channel.EMAIL))).containsExactly(s1, s2, s4);
		assertThat(members(new Profile(ProfileField.COUNTRY, Comparison.IN, List.of("gb", "IE")))).containsExactly(s1,
				s2, s3, s4);
	}

	@Test
	void savedSegmentsCountPreviewAndMembership() {
		SegmentRule bigSpenders = new And(
				List.of(SEGTOWN, new Spend(Comparison.GT, new BigDecimal("500"), "EUR", null)));
		assertThat(segments.save("big-spenders", "Big spenders", bigSpenders)).isTrue();
		assertThat(segments.save("big-spenders", "Big spenders (EUR)", bigSpenders)).isFalse();

		Segment saved = segments.find("big-spenders").orElseThrow();
		assertThat(saved.rule()).isEqualTo(bigSpenders);
		assertThat(saved.name()).isEqualTo("Big spenders (EUR)");
		assertThat(segments.count(saved.rule())).isEqualTo(2);
		assertThat(segments.preview(saved.rule(), 1)).extracting(CustomerSummary::externalId).containsExactly("SEG-1");
		assertThat(segments.isMember("big-spenders", s1)).isTrue();
		assertThat(segments.isMember("big-spenders", s3)).isFalse();
		assertThat(
				customers.search(new CustomerQuery(null, null, null, Map.of("tier", "gold"), "big-spenders", null, 10))
					.customers())
			.extracting(CustomerSummary::externalId)
			.containsExactly("SEG-1");
		assertThatExceptionOfType(UnknownSegmentException.class).isThrownBy(() -> segments.isMember("nope", s1));
	}

	@Test
	void invalidRulesNameEveryProblem() {
		SegmentRule bad = new And(
				List.of(new Attribute("tier", Comparison.GT, "gold"), new Attribute("shoe_size", Comparison.EQ, 42),
						new Attribute("lifetime_value", Comparison.EQ, "lots"), new Bought(null, null, 0, null)));
		assertThatExceptionOfType(InvalidSegmentException.class).isThrownBy(() -> segments.count(bad))
			.satisfies((ex) -> assertThat(ex.problems()).containsOnlyKeys("rule.rules[0].op", "rule.rules[1].name",
					"rule.rules[2].value", "rule.rules[3]", "rule.rules[3].withinDays"));
		assertThatExceptionOfType(InvalidSegmentException.class)
			.isThrownBy(() -> segments.save("Bad Key", "x", SEGTOWN))
			.satisfies((ex) -> assertThat(ex.problems()).containsOnlyKeys("key"));
	}

	@Test
	void valuesNeverBecomeSql() {
		SegmentRule injection = new Attribute("tier", Comparison.EQ, "gold'); DROP TABLE customer; --");
		assertThat(members(injection)).isEmpty();
		assertThat(segments.count(SEGTOWN)).isEqualTo(4);
	}

}
