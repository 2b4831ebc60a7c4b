package org.ccm.templates;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.ccm.core.Channel;
import org.ccm.core.ConcurrentEditException;
import org.ccm.core.ConsentChange;
import org.ccm.core.ContactState;
import org.ccm.core.CustomerDetails;
import org.ccm.core.CustomerProfile;
import org.ccm.core.Customers;
import org.ccm.core.PostalAddress;
import org.ccm.core.Purpose;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * An offer's dates, its review (submit, reject, approve, retire) and its history, in the
 * service and over REST.
 */
@TemplatesTest
class OfferReviewTests {

	static final Actor ADA = new Actor("ada", Set.of(Actor.MARKETER, Actor.APPROVER));

	@Autowired
	Offers offers;

	@Autowired
	Compositions compositions;

	@Autowired
	Customers customers;

	@Autowired
	MockMvcTester mvc;

	@Autowired
	JsonMapper json;

	String key;

	@BeforeEach
	void key() {
		this.key = "review-" + UUID.randomUUID().toString().substring(0, 8);
	}

	@AfterEach
	void withdraw() {
		// offers apply to every invoice: leave none active for the next test
		this.offers.find(this.key)
			.filter(Offer::active)
			.ifPresent((offer) -> this.offers.save(new Offer(this.key, offer.name(), offer.segment(), offer.priority(),
					offer.maxImpressions(), offer.templates(), offer.content(), false), GovernanceTests.MARTA));
	}

	@Test
	void documentsShowAnApprovedOfferOnlyBetweenItsDates() {
		CustomerProfile customer = customer();
		Instant now = Instant.now();
		Offer later = this.offers.save(offer("<p>Winter deal</p>", now.plus(Duration.ofDays(2)), null),
				GovernanceTests.MARTA);
		assertThat(later.startsAt()).isEqualTo(now.plus(Duration.ofDays(2)));
		this.offers.approve(this.key, GovernanceTests.BOB);
		assertThat(compose(customer).offersShown()).doesNotContain(this.key);

		// a change of dates is a change of what documents show: approved again before it
		// counts
		this.offers.save(offer("<p>Winter deal</p>", now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(1))),
				GovernanceTests.MARTA);
		assertThat(this.offers.find(this.key).orElseThrow().state()).isEqualTo(OfferState.DRAFT);
		assertThat(compose(customer).offersShown()).doesNotContain(this.key);
		this.offers.approve(this.key, GovernanceTests.BOB);
		assertThat(compose(customer).offersShown()).contains(this.key);

		this.offers.save(offer("<p>Winter deal</p>", null, now.minus(Duration.ofMinutes(1))), GovernanceTests.MARTA);
		this.offers.approve(this.key, GovernanceTests.BOB);
		assertThat(compose(customer).offersShown()).doesNotContain(this.key);

		// no dates: no limit
		this.offers.save(offer("<p>Winter deal</p>", null, null), GovernanceTests.MARTA);
		this.offers.approve(this.key, GovernanceTests.BOB);
		assertThat(compose(customer).offersShown()).contains(this.key);
	}

	@Test
	void anOfferEndingBeforeItStartsIsRefusedAndNothingIsSaved() {
		Instant start = Instant.parse("2027-01-10T00:00:00Z");
		assertThatExceptionOfType(InvalidTemplateContentException.class)
			.isThrownBy(() -> this.offers.save(offer("<p>Deal</p>", start, start.minus(Duration.ofDays(1))),
					GovernanceTests.MARTA))
			.satisfies((ex) -> assertThat(ex.problems()).extracting(DataViolation::field).containsExactly("endsAt"));
		assertThatExceptionOfType(InvalidTemplateContentException.class)
			.isThrownBy(() -> this.offers.save(offer("<p>Deal</p>", start, start), GovernanceTests.MARTA));
		assertThat(this.offers.find(this.key)).isEmpty();
	}

	@Test
	void onlyMarketersWriteOffersAndOnlyOthersThanTheAuthorReviewThem() {
		assertThatExceptionOfType(GovernanceException.class)
			.isThrownBy(() -> this.offers.save(offer("<p>Deal</p>", null, null), GovernanceTests.BOB))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(GovernanceException.Reason.FORBIDDEN));
		assertThat(this.offers.find(this.key)).isEmpty();

		Offer saved = this.offers.save(offer("<p>Deal</p>", null, null), ADA);
		assertThatExceptionOfType(GovernanceException.class)
			.isThrownBy(() -> this.offers.submit(this.key, saved.version(), GovernanceTests.BOB, null))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(GovernanceException.Reason.FORBIDDEN));
		this.offers.submit(this.key, saved.version(), ADA, "please");
		// an administrator is an approver too, but never of their own work
		assertThatExceptionOfType(GovernanceException.class)
			.isThrownBy(() -> this.offers.approve(this.key, null, ADA, null))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(GovernanceException.Reason.FORBIDDEN));
		assertThatExceptionOfType(GovernanceException.class)
			.isThrownBy(() -> this.offers.reject(this.key, null, ADA, "no"))
			.withMessageContaining("last editor");
		assertThatExceptionOfType(GovernanceException.class)
			.isThrownBy(() -> this.offers.approve(this.key, null, GovernanceTests.MARTA, null))
			.withMessageContaining("only an approver");
		assertThat(this.offers.find(this.key).orElseThrow().state()).isEqualTo(OfferState.IN_REVIEW);
	}

	@Test
	void anOfferGoesThroughReviewAndEveryStepIsInItsHistory() {
		Offer first = this.offers.save(offer("<p>Save 10% on boilers</p>", null, null), GovernanceTests.MARTA);
		assertThat(first.state()).isEqualTo(OfferState.DRAFT);
		assertThat(first.updatedBy()).isEqualTo("marta");
		Offer submitted = this.offers.submit(this.key, first.version(), GovernanceTests.MARTA, "for the winter");
		assertThat(submitted.state()).isEqualTo(OfferState.IN_REVIEW);
		assertThatExceptionOfType(GovernanceException.class)
			.isThrownBy(() -> this.offers.submit(this.key, null, GovernanceTests.MARTA, null))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(GovernanceException.Reason.CONFLICT));

		// a rejection says why
		assertThatExceptionOfType(InvalidTemplateContentException.class)
			.isThrownBy(() -> this.offers.reject(this.key, submitted.version(), GovernanceTests.BOB, " "));
		Offer rejected = this.offers.reject(this.key, submitted.version(), GovernanceTests.BOB, "Say until when");
		assertThat(rejected.state()).isEqualTo(OfferState.DRAFT);
		assertThat(this.offers.lastApproved(this.key)).isEmpty();

		Offer second = this.offers.save(offer("<p>Save 10% on boilers until March</p>", null, null),
				GovernanceTests.MARTA);
		this.offers.submit(this.key, second.version(), GovernanceTests.MARTA, null);
		// an approver who read an older version approves nothing
		assertThatExceptionOfType(ConcurrentEditException.class)
			.isThrownBy(() -> this.offers.approve(this.key, first.version(), GovernanceTests.BOB, null));
		Offer approved = this.offers.approve(this.key, null, GovernanceTests.BOB, "Good");
		assertThat(approved.state()).isEqualTo(OfferState.APPROVED);
		assertThat(approved.approvedBy()).isEqualTo("bob");

		// a change takes the approval away; the approved text stays to compare with
		this.offers.save(offer("<p>Save 15% on boilers until March</p>", null, null), GovernanceTests.MIA);
		assertThat(this.offers.find(this.key).orElseThrow().approvedBy()).isNull();
		assertThat(this.offers.lastApproved(this.key)).hasValueSatisfying((offer) -> assertThat(offer.content())
			.containsEntry("default", "<p>Save 10% on boilers until March</p>"));
		this.offers.approve(this.key, null, GovernanceTests.ANN, null);

		Offer retired = this.offers.retire(this.key, null, GovernanceTests.MARTA, "Winter is over");
		assertThat(retired.state()).isEqualTo(OfferState.RETIRED);
		assertThat(retired.active()).isFalse();
		assertThatExceptionOfType(GovernanceException.class)
			.isThrownBy(() -> this.offers.discard(this.key, GovernanceTests.MARTA));

		assertThat(this.offers.history(this.key))
			.extracting(OfferChange::action, OfferChange::actor, OfferChange::comment)
			.containsExactly(org.assertj.core.groups.Tuple.tuple(OfferChange.Action.CREATED, "marta", null),
					org.assertj.core.groups.Tuple.tuple(OfferChange.Action.SUBMITTED, "marta", "for the winter"),
					org.assertj.core.groups.Tuple.tuple(OfferChange.Action.REJECTED, "bob", "Say until when"),
					org.assertj.core.groups.Tuple.tuple(OfferChange.Action.SAVED, "marta", null),
					org.assertj.core.groups.Tuple.tuple(OfferChange.Action.SUBMITTED, "marta", null),
					org.assertj.core.groups.Tuple.tuple(OfferChange.Action.APPROVED, "bob", "Good"),
					org.assertj.core.groups.Tuple.tuple(OfferChange.Action.SAVED, "mia", null),
					org.assertj.core.groups.Tuple.tuple(OfferChange.Action.APPROVED, "ann", null),
					org.assertj.core.groups.Tuple.tuple(OfferChange.Action.RETIRED, "marta", "Winter is over"));
	}

	@Test
	void theRestApiTakesDatesAndClientsThatSendNoneGetNoLimit() throws Exception {
		Map<String, Object> body = new LinkedHashMap<>(Map.of("name", "Dated", "priority", 1, "maxImpressions", 1,
				"templates", List.of(), "content", Map.of("default", "<p>Dated</p>"), "active", false));
		var saved = assertThat(this.mvc.put()
			.uri("/api/v1/offers/{key}", this.key)
			.with(TemplateApiTests.user("marta", Actor.MARKETER))
			.contentType(MediaType.APPLICATION_JSON)
			.content(this.json.writeValueAsString(body))).hasStatusOk().bodyJson();
		saved.extractingPath("$.startsAt").isNull();
		saved.extractingPath("$.state").isEqualTo("RETIRED");

		body.put("startsAt", "2027-02-01T00:00:00Z");
		body.put("endsAt", "2027-01-01T00:00:00Z");
		var refused = assertThat(this.mvc.put()
			.uri("/api/v1/offers/{key}", this.key)
			.with(TemplateApiTests.user("marta", Actor.MARKETER))
			.contentType(MediaType.APPLICATION_JSON)
			.content(this.json.writeValueAsString(body))).hasStatus(422).bodyJson();
		refused.extractingPath("$.errors[0].field").isEqualTo("endsAt");

		body.put("endsAt", "2027-03-01T00:00:00Z");
		body.put("active", true);
		var dated = assertThat(this.mvc.put()
			.uri("/api/v1/offers/{key}", this.key)
			.with(TemplateApiTests.user("marta", Actor.MARKETER))
			.contentType(MediaType.APPLICATION_JSON)
			.content(this.json.writeValueAsString(body))).hasStatusOk().bodyJson();
		dated.extractingPath("$.endsAt").isEqualTo("2027-03-01T00:00:00Z");
		dated.extractingPath("$.state").isEqualTo("DRAFT");

		assertThat(this.mvc.post()
			.uri("/api/v1/offers/{key}/submit", this.key)
			.with(TemplateApiTests.user("marta", Actor.MARKETER))
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"comment\": \"spring\"}")).hasStatusOk()
			.bodyJson()
			.extractingPath("$.state")
			.isEqualTo("IN_REVIEW");
		// someone without a writer's role changes nothing
		assertThat(this.mvc.put()
			.uri("/api/v1/offers/{key}", this.key)
			.with(TemplateApiTests.user("otto"))
			.contentType(MediaType.APPLICATION_JSON)
			.content(this.json.writeValueAsString(body))).hasStatus(403);
		assertThat(this.mvc.get().uri("/api/v1/offers/{key}/history", this.key)).hasStatusOk()
			.bodyJson()
			.extractingPath("$[*].action")
			.asArray()
			.containsExactly("CREATED", "SAVED", "SUBMITTED");
	}

	private Offer offer(String text, Instant startsAt, Instant endsAt) {
		return new Offer(this.key, "Winter deal", null, 1000, 50, List.of("invoice"), Map.of("default", text), true,
				null, startsAt, endsAt);
	}

	private ComposedDocument compose(CustomerProfile customer) {
		return this.compositions.compose(
				new Composition("invoice", null, Channel.EMAIL, customer, TestCustomers.invoice("INV-" + this.key)));
	}

	private CustomerProfile customer() {
		List<ConsentChange> consents = new ArrayList<>();
		consents.add(new ConsentChange(Channel.EMAIL, Purpose.MARKETING, true, "test"));
		return this.customers.upsert("DATED-" + UUID.randomUUID(),
				new CustomerDetails("Dora Dated", Locale.UK, null, "dora@example.com", "+447911123456",
						new PostalAddress(List.of("1 Offer Road"), "OX1 1AA", "Oxford", "GB", ContactState.VERIFIED),
						Map.of(), Map.of(), null, consents));
	}

}
