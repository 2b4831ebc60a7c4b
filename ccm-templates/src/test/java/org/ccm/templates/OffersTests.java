package org.ccm.templates;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.ccm.core.Channel;
import org.ccm.core.ConsentChange;
import org.ccm.core.ContactState;
import org.ccm.core.CustomerDetails;
import org.ccm.core.CustomerProfile;
import org.ccm.core.Customers;
import org.ccm.core.PostalAddress;
import org.ccm.core.Purpose;
import org.ccm.core.SegmentRule;
import org.ccm.core.Segments;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

@TemplatesTest
class OffersTests {

	@Autowired
	Offers offers;

	@Autowired
	Compositions compositions;

	@Autowired
	Previews previews;

	@Autowired
	Customers customers;

	@Autowired
	Segments segments;

	String run;

	String goldOffer;

	String everyoneOffer;

	@BeforeEach
	void offers() {
		this.run = UUID.randomUUID().toString().substring(0, 8);
		String segment = "gold-" + this.run;
		this.segments.save(segment, "Gold customers",
				new SegmentRule.Attribute("tier", SegmentRule.Comparison.EQ, "gold-" + this.run));
		this.goldOffer = "gold-upgrade-" + this.run;
		this.everyoneOffer = "green-tariff-" + this.run;
		this.offers.save(new Offer(this.goldOffer, "Gold upgrade", segment, 10, 2, List.of("invoice"),
				Map.of("default", "<p>{{customer.name}}, upgrade to Platinum<script>alert(1)</script></p>", "pl",
						"<p>Przejdź na Platinum</p>"),
				true), GovernanceTests.MARTA);
		this.offers.save(new Offer(this.everyoneOffer, "Green tariff", null, 1, 1, List.of("invoice"),
				Map.of("default", "<p>Switch to our green tariff</p>"), true), GovernanceTests.MARTA);
		// documents show approved offers only; the four-eyes rule holds
		this.offers.approve(this.goldOffer, GovernanceTests.BOB);
		this.offers.approve(this.everyoneOffer, GovernanceTests.BOB);
	}

	@AfterEach
	void withdrawOffers() {
		// offers apply to every invoice: leave none active for the next test
		for (String key : List.of(this.goldOffer, this.everyoneOffer)) {
			Offer offer = this.offers.find(key).orElseThrow();
			this.offers.save(new Offer(key, offer.name(), offer.segment(), offer.priority(), offer.maxImpressions(),
					offer.templates(), offer.content(), false), GovernanceTests.MARTA);
		}
	}

	@Test
	void theBestOfferForTheCustomersSegmentIsShownUntilItsCapThenTheNext() {
		CustomerProfile gold = customer("gold-" + this.run, true);
		ComposedDocument first = compose(Channel.EMAIL, gold);
		assertThat(first.offersShown()).containsExactly(this.goldOffer);
		assertThat(first.html()).contains("upgrade to Platinum").doesNotContain("<script");
		assertThat(compose(Channel.PRINT, gold).offersShown()).containsExactly(this.goldOffer);
		assertThat(this.offers.impressions(this.goldOffer, gold.id())).isEqualTo(2);
		// capped at two: the next offer by priority
		ComposedDocument third = compose(Channel.PORTAL, gold);
		assertThat(third.offersShown()).containsExactly(this.everyoneOffer);
		assertThat(third.html()).contains("green tariff").doesNotContain("Platinum");
		assertThat(compose(Channel.EMAIL, gold).offersShown()).isEmpty();
		// never in an SMS
		assertThat(compose(Channel.SMS, gold).offersShown()).isEmpty();
	}

	@Test
	void aDocumentComposedAgainForTheSameDeliveryShowsItsOffersWithoutCountingThemTwice() {
		CustomerProfile gold = customer("gold-" + this.run, true);
		java.util.UUID delivery = java.util.UUID.randomUUID();
		for (int attempt = 0; attempt < 3; attempt++) {
			assertThat(compose(Channel.EMAIL, gold, delivery).offersShown()).containsExactly(this.goldOffer);
		}
		assertThat(this.offers.impressions(this.goldOffer, gold.id())).isEqualTo(1);
		assertThat(compose(Channel.EMAIL, gold, java.util.UUID.randomUUID()).offersShown())
			.containsExactly(this.goldOffer);
		assertThat(this.offers.impressions(this.goldOffer, gold.id())).isEqualTo(2);
		// the cap is reached for new documents, but the first one still shows what it
		// showed
		assertThat(compose(Channel.EMAIL, gold, java.util.UUID.randomUUID()).offersShown())
			.containsExactly(this.everyoneOffer);
		assertThat(compose(Channel.EMAIL, gold, delivery).offersShown()).containsExactly(this.goldOffer);
		assertThat(this.offers.impressions(this.goldOffer, gold.id())).isEqualTo(2);
	}

	@Test
	void customersOutsideTheSegmentGetTheGeneralOffer() {
		CustomerProfile silver = customer("silver", true);
		assertThat(compose(Channel.EMAIL, silver).offersShown()).containsExactly(this.everyoneOffer);
	}

	@Test
	void noOffersWithoutMarketingConsent() {
		CustomerProfile gold = customer("gold-" + this.run, false);
		assertThat(compose(Channel.EMAIL, gold).offersShown()).isEmpty();
		assertThat(this.offers.impressions(this.goldOffer, gold.id())).isZero();
	}

	@Test
	void previewsShowOffersWithoutCountingThem() {
		CustomerProfile gold = customer("gold-" + this.run, true);
		for (int i = 0; i < 3; i++) {
			assertThat(this.previews.preview("invoice", null, gold.externalId(), null, List.of(Channel.EMAIL), null))
				.singleElement()
				.satisfies((preview) -> assertThat(preview.offersShown()).containsExactly(this.goldOffer));
		}
		assertThat(this.offers.impressions(this.goldOffer, gold.id())).isZero();
	}

	@Test
	void anUnapprovedOfferIsNeverShownWhoeverComposes() {
		CustomerProfile gold = customer("gold-" + this.run, true);
		Offer approved = this.offers.find(this.goldOffer).orElseThrow();
		assertThat(approved.approvedBy()).isEqualTo("bob");
		// a change of what it shows takes the approval away
		this.offers.save(
				new Offer(this.goldOffer, approved.name(), approved.segment(), approved.priority(),
						approved.maxImpressions(), approved.templates(),
						Map.of("default", "<p>Visit <a href=\"https://elsewhere.example\">our partner</a></p>"), true),
				GovernanceTests.MIA);
		assertThat(this.offers.find(this.goldOffer).orElseThrow().approvedBy()).isNull();
		assertThat(this.previews.preview("invoice", null, gold.externalId(), null, List.of(Channel.EMAIL), null))
			.singleElement()
			.satisfies((preview) -> assertThat(preview.offersShown()).containsExactly(this.everyoneOffer));
		assertThat(compose(Channel.EMAIL, gold).offersShown()).containsExactly(this.everyoneOffer);

		assertThatExceptionOfType(GovernanceException.class)
			.isThrownBy(() -> this.offers.approve(this.goldOffer, GovernanceTests.MIA))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(GovernanceException.Reason.FORBIDDEN));
		// only approvers approve offers
		assertThatExceptionOfType(GovernanceException.class)
			.isThrownBy(() -> this.offers.approve(this.goldOffer, GovernanceTests.CARL))
			.withMessageContaining("only an approver");
		assertThat(this.offers.find(this.goldOffer).orElseThrow().approvedBy()).isNull();
		this.offers.approve(this.goldOffer, GovernanceTests.BOB);
		assertThat(compose(Channel.EMAIL, gold).offersShown()).containsExactly(this.goldOffer);
		assertThatExceptionOfType(GovernanceException.class)
			.isThrownBy(() -> this.offers.approve(this.goldOffer, GovernanceTests.ANN))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(GovernanceException.Reason.CONFLICT));
	}

	@Test
	void anOfferNeverApprovedCanBeDiscardedAnApprovedOneOnlyRetired() {
		String draft = "draft-offer-" + this.run;
		this.offers.save(new Offer(draft, "Draft", null, 1, 1, List.of(), Map.of("default", "<p>Draft</p>"), true),
				GovernanceTests.MIA);
		assertThat(this.offers.discard(draft, GovernanceTests.MIA)).isTrue();
		assertThat(this.offers.find(draft)).isEmpty();
		assertThat(this.offers.discard(draft, GovernanceTests.MIA)).isFalse();

		assertThatExceptionOfType(GovernanceException.class)
			.isThrownBy(() -> this.offers.discard(this.goldOffer, GovernanceTests.MIA))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(GovernanceException.Reason.CONFLICT))
			.withMessageContaining("retired");
		assertThat(this.offers.find(this.goldOffer)).isPresent();
	}

	@Test
	void offerContentIsCheckedWhenSaved() {
		assertThatExceptionOfType(InvalidTemplateContentException.class)
			.isThrownBy(() -> this.offers.save(new Offer("bad-" + this.run, "Bad", "no-such-segment", 1, 1, List.of(),
					Map.of("default", "{{> partial}}"), true), GovernanceTests.MIA))
			.satisfies((ex) -> assertThat(ex.problems()).extracting(DataViolation::field)
				.containsExactlyInAnyOrder("content.default", "segment"));
	}

	private ComposedDocument compose(Channel channel, CustomerProfile customer, java.util.UUID delivery) {
		return this.compositions.compose(new Composition("invoice", null, channel, customer,
				TestCustomers.invoice("INV-" + this.run), delivery));
	}

	private ComposedDocument compose(Channel channel, CustomerProfile customer) {
		return this.compositions
			.compose(new Composition("invoice", null, channel, customer, TestCustomers.invoice("INV-" + this.run)));
	}

	private CustomerProfile customer(String tier, boolean marketing) {
		List<ConsentChange> consents = marketing
				? List.of(new ConsentChange(Channel.EMAIL, Purpose.MARKETING, true, "test"),
						new ConsentChange(Channel.PRINT, Purpose.MARKETING, true, "test"),
						new ConsentChange(Channel.PORTAL, Purpose.MARKETING, true, "test"),
						new ConsentChange(Channel.SMS, Purpose.MARKETING, true, "test"))
				: List.of();
		return this.customers.upsert("OFFER-" + UUID.randomUUID(),
				new CustomerDetails("Olga Offer", Locale.UK, null, "olga@example.com", "+447911123456",
						new PostalAddress(List.of("1 Offer Road"), "OX1 1AA", "Oxford", "GB", ContactState.VERIFIED),
						Map.of("tier", tier), Map.of(), null, consents));
	}

}
