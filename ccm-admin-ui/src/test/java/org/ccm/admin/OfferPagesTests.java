package org.ccm.admin;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.ccm.core.SegmentRule;
import org.ccm.core.Segments;
import org.ccm.templates.Actor;
import org.ccm.templates.Offer;
import org.ccm.templates.OfferChange;
import org.ccm.templates.OfferState;
import org.ccm.templates.Offers;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The offer pages for each role: the list, the editor with its checks, the review and the
 * history, every step through the offers service's rules and under the staff member's
 * name.
 */
@AdminIntegrationTest
class OfferPagesTests {

	static final RequestPostProcessor MIA = user("mia").roles("MARKETER");

	static final RequestPostProcessor ANN = user("ann").roles("APPROVER");

	static final RequestPostProcessor ADA = user("ada").roles("ADMIN");

	static final RequestPostProcessor OPS = user("otto").roles("OPS");

	static final RequestPostProcessor BRENDA = user("brenda").roles("BRAND");

	static final Actor MARKETER = new Actor("mark", Set.of(Actor.MARKETER));

	static final Actor APPROVER = new Actor("approver-x", Set.of(Actor.APPROVER));

	@Autowired
	MockMvc mvc;

	@Autowired
	Offers offers;

	@Autowired
	Segments segments;

	String run;

	String key;

	String segment;

	@BeforeEach
	void segmentAndOffer() {
		this.run = UUID.randomUUID().toString().substring(0, 8);
		this.key = "boiler-" + this.run;
		this.segment = "homeowners-" + this.run;
		this.segments.save(this.segment, "Homeowners " + this.run,
				new SegmentRule.Profile(SegmentRule.ProfileField.CITY, SegmentRule.Comparison.EQ, "Town " + this.run));
	}

	@AfterEach
	void withdrawOffers() {
		// offers apply to every invoice: leave none of these active for other tests
		for (Offer offer : this.offers.all()) {
			if (offer.key().endsWith(this.run) && offer.active()) {
				this.offers.save(new Offer(offer.key(), offer.name(), offer.segment(), offer.priority(),
						offer.maxImpressions(), offer.templates(), offer.content(), false), MARKETER);
			}
		}
	}

	@Test
	void theListShowsEachOfferWithItsStateAudienceLimitsAndLastChange() throws Exception {
		this.offers.save(new Offer(this.key, "Boiler cover", this.segment, 7, 3, List.of("invoice"),
				Map.of("default", "<p>Cover your boiler</p>"), true, null, Instant.parse("2027-01-01T00:00:00Z"), null),
				MARKETER);
		this.offers.submit(this.key, null, MARKETER, null);

		Document page = page(get("/admin/offers").with(OPS));
		Element row = page.selectFirst("tr:has(a[href=/admin/offers/" + this.key + "])");
		assertThat(row).isNotNull();
		assertThat(row.text()).contains("Boiler cover", this.key, "Awaiting approval", "Homeowners " + this.run, "7",
				"3 per customer", "From 2027-01-01 00:00:00 UTC", "by mark");
		assertThat(page.select("nav a[href=/admin/offers]").text()).isEqualTo("Offers");
		assertThat(page.select("a#new-offer")).isEmpty();
		assertThat(page(get("/admin/offers").with(MIA)).select("a#new-offer").attr("href"))
			.isEqualTo("/admin/offers/new");
		assertThat(page(get("/admin/offers").with(ADA)).select("a#new-offer")).hasSize(1);
		assertThat(page(get("/admin/offers").with(ANN)).select("a#new-offer")).isEmpty();
	}

	@Test
	void aMarketerCreatesAnOfferWithTheRichTextEditorAndEveryoneElseIsRefused() throws Exception {
		Document editor = page(get("/admin/offers/new").with(MIA));
		assertThat(editor.select("textarea#content-default[data-rich][name=content.default]")).hasSize(1);
		assertThat(editor.select("label#content-default-label[for=content-default]")).hasSize(1);
		assertThat(editor.select("script[src=/admin/vendor/squire/squire.js]")).hasSize(1);
		assertThat(editor.select("script[src=/admin/js/studio.js]")).hasSize(1);
		assertThat(editor.select("form#draft-form").attr("hx-post")).isEqualTo("/admin/offers/preview");
		assertThat(editor.select("select#placeholder option").eachText()).contains("customer.name",
				"customer.externalId", "links.portal");
		assertThat(editor.select("select#segment option").eachText()).contains("Every customer",
				"Homeowners " + this.run);
		assertThat(editor.select("input[type=checkbox][name=templates][value=invoice]")).hasSize(1);
		assertThat(editor.select("input#startsAt[type=datetime-local]")).hasSize(1);

		for (RequestPostProcessor other : List.of(OPS, ANN, BRENDA)) {
			this.mvc.perform(get("/admin/offers/new").with(other)).andExpect(status().isForbidden());
			this.mvc.perform(newOffer().with(other)).andExpect(status().isForbidden());
		}
		assertThat(this.offers.find(this.key)).isEmpty();

		this.mvc.perform(newOffer("action", "save").with(MIA)).andExpect(redirectedUrl("/admin/offers/" + this.key));
		Offer created = this.offers.find(this.key).orElseThrow();
		assertThat(created.name()).isEqualTo("Boiler cover");
		assertThat(created.segment()).isEqualTo(this.segment);
		assertThat(created.priority()).isEqualTo(5);
		assertThat(created.maxImpressions()).isEqualTo(2);
		assertThat(created.templates()).containsExactly("invoice");
		assertThat(created.content()).containsEntry("default", "<p>Hello {{customer.name}}</p>")
			.containsEntry("pl", "<p>Dzień dobry</p>");
		assertThat(created.startsAt()).isEqualTo(Instant.parse("2027-01-01T09:00:00Z"));
		assertThat(created.endsAt()).isEqualTo(Instant.parse("2027-03-01T09:00:00Z"));
		assertThat(created.state()).isEqualTo(OfferState.DRAFT);
		assertThat(created.updatedBy()).isEqualTo("mia");
		assertThat(this.offers.history(this.key)).extracting(OfferChange::action, OfferChange::actor)
			.containsExactly(tuple(OfferChange.Action.CREATED, "mia"));

		// a second offer with the same key never replaces the first
		MvcResult again = this.mvc.perform(newOffer("name", "Other").with(MIA)).andExpect(status().is(422)).andReturn();
		assertThat(Jsoup.parse(again.getResponse().getContentAsString()).select(".error-summary a[href=#key]").text())
			.contains("exists already");
		assertThat(this.offers.find(this.key).orElseThrow().name()).isEqualTo("Boiler cover");
	}

	@Test
	void badInputIsListedAtTheTopLinkedToItsFieldsAndNothingIsSaved() throws Exception {
		MvcResult result = this.mvc
			.perform(post("/admin/offers/new").with(MIA)
				.with(csrf())
				.param("key", "Bad Key!")
				.param("name", " ")
				.param("content.default", "<p onclick=\"steal()\">Hi {{customer.nme}}</p><script>alert(1)</script>")
				.param("priority", "ten")
				.param("maxImpressions", "0")
				.param("startsAt", "2027-03-01T09:00")
				.param("endsAt", "2027-01-01T09:00"))
			.andExpect(status().is(422))
			.andReturn();
		Document page = Jsoup.parse(result.getResponse().getContentAsString());
		assertThat(page.title()).startsWith("Error: ");
		Element summary = page.selectFirst(".error-summary");
		assertThat(summary.select("h2").text()).isEqualTo("There is a problem");
		assertThat(summary.select("a").eachAttr("href")).contains("#key", "#name", "#content-default", "#priority",
				"#maxImpressions", "#endsAt");
		String content = summary.select("a[href=#content-default]").text();
		assertThat(content).contains("<script>", "onclick on <p>", "{{customer.nme}}");
		assertThat(page.select("#endsAt-error").text()).contains("End must be after the start");
		assertThat(page.select("input#endsAt").attr("aria-describedby")).contains("endsAt-error");
		// what was typed is shown again
		assertThat(page.select("input#priority").val()).isEqualTo("ten");
		assertThat(page.select("textarea#content-default").text()).contains("{{customer.nme}}");
		assertThat(this.offers.all()).extracting(Offer::key).doesNotContain("Bad Key!", "bad key!");

		MvcResult date = this.mvc.perform(newOffer("startsAt", "tomorrow").with(MIA))
			.andExpect(status().is(422))
			.andReturn();
		assertThat(
				Jsoup.parse(date.getResponse().getContentAsString()).select(".error-summary a[href=#startsAt]").text())
			.contains("date and time");
		assertThat(this.offers.find(this.key)).isEmpty();
	}

	@Test
	void aSaveBasedOnAStaleReadIsRefusedAndOverwritesNothing() throws Exception {
		Offer first = this.offers.save(offer("<p>First</p>"), MARKETER);
		for (RequestPostProcessor other : List.of(OPS, ANN, BRENDA)) {
			this.mvc.perform(get("/admin/offers/{key}/edit", this.key).with(other)).andExpect(status().isForbidden());
			this.mvc.perform(edit("content.default", "<p>Theirs</p>").with(other)).andExpect(status().isForbidden());
			Document readOnly = page(get("/admin/offers/{key}", this.key).with(other));
			assertThat(readOnly.select("a#edit-offer, form#submit-form, form[action$=/discard]")).isEmpty();
		}
		assertThat(page(get("/admin/offers/{key}", this.key).with(BRENDA)).select("#actions-heading + p").text())
			.contains("You can read offers");
		Document editor = page(get("/admin/offers/{key}/edit", this.key).with(MIA));
		assertThat(editor.select("input[name=version]").val()).isEqualTo(String.valueOf(first.version()));
		assertThat(editor.select("input#key")).isEmpty();
		// someone else saves in the meantime
		this.offers.save(new Offer(this.key, "Boiler cover", null, 1, 1, List.of(), Map.of("default", "<p>Theirs</p>"),
				true, first.version()), MARKETER);

		MvcResult result = this.mvc
			.perform(edit("version", String.valueOf(first.version()), "content.default", "<p>Mine</p>").with(MIA))
			.andExpect(status().is(422))
			.andReturn();
		Document page = Jsoup.parse(result.getResponse().getContentAsString());
		assertThat(page.select(".error-summary a[href=#offer]").text()).contains("changed by someone else",
				"nothing was saved");
		assertThat(page.select("textarea#content-default").text()).contains("Mine");
		assertThat(this.offers.find(this.key).orElseThrow().content()).containsEntry("default", "<p>Theirs</p>");
	}

	@Test
	void aMarketerSubmitsAnApproverRejectsWithACommentThenApprovesAndEveryStepIsInTheHistory() throws Exception {
		Offer saved = this.offers.save(offer("<p>Cover your boiler</p>"), MARKETER);
		// approval follows a submission
		this.mvc.perform(post("/admin/offers/{key}/approve", this.key).with(ANN).with(csrf()))
			.andExpect(redirectedUrl("/admin/offers/" + this.key));
		assertThat(this.offers.find(this.key).orElseThrow().state()).isEqualTo(OfferState.DRAFT);
		Document draft = page(get("/admin/offers/{key}", this.key).with(MIA));
		assertThat(draft.select("form#submit-form")).hasSize(1);
		assertThat(draft.select("a#edit-offer")).hasSize(1);
		assertThat(page(get("/admin/offers/{key}", this.key).with(ANN)).select("form#submit-form")).isEmpty();
		this.mvc.perform(post("/admin/offers/{key}/submit", this.key).with(ANN).with(csrf()))
			.andExpect(status().isForbidden());

		this.mvc
			.perform(post("/admin/offers/{key}/submit", this.key).with(MIA)
				.with(csrf())
				.param("version", String.valueOf(saved.version()))
				.param("comment", "For the winter"))
			.andExpect(redirectedUrl("/admin/offers/" + this.key));
		assertThat(this.offers.find(this.key).orElseThrow().state()).isEqualTo(OfferState.IN_REVIEW);

		// the marketer cannot review; the approver sees the review form
		assertThat(page(get("/admin/offers/{key}", this.key).with(MIA)).select("form#review-form")).isEmpty();
		this.mvc.perform(post("/admin/offers/{key}/approve", this.key).with(MIA).with(csrf()))
			.andExpect(status().isForbidden());
		this.mvc.perform(post("/admin/offers/{key}/approve", this.key).with(OPS).with(csrf()))
			.andExpect(status().isForbidden());
		Document review = page(get("/admin/offers/{key}", this.key).with(ANN));
		assertThat(review.select("form#review-form button").eachText()).containsExactly("Approve", "Ask for changes");
		assertThat(review.select("#changes-heading + p").text()).contains("never approved");

		MvcResult noReason = this.mvc
			.perform(post("/admin/offers/{key}/reject", this.key).with(ANN).with(csrf()).param("comment", " "))
			.andExpect(status().is(422))
			.andReturn();
		Document refused = Jsoup.parse(noReason.getResponse().getContentAsString());
		assertThat(refused.select(".error-summary a[href=#comment]").text()).contains("Say what needs to change");
		assertThat(refused.select("#comment-error").text()).contains("Say what needs to change");

		this.mvc.perform(
				post("/admin/offers/{key}/reject", this.key).with(ANN).with(csrf()).param("comment", "Say until when"))
			.andExpect(redirectedUrl("/admin/offers/" + this.key));
		assertThat(this.offers.find(this.key).orElseThrow().state()).isEqualTo(OfferState.DRAFT);

		this.mvc.perform(edit("action", "submit", "comment", "Now with dates").with(MIA))
			.andExpect(redirectedUrl("/admin/offers/" + this.key))
			.andExpect(flash().attribute("notice", "The offer is saved and waiting for review."));
		this.mvc
			.perform(post("/admin/offers/{key}/approve", this.key).with(ANN)
				.with(csrf())
				.param("version", String.valueOf(this.offers.find(this.key).orElseThrow().version()))
				.param("comment", "Fine"))
			.andExpect(redirectedUrl("/admin/offers/" + this.key));
		Offer approved = this.offers.find(this.key).orElseThrow();
		assertThat(approved.state()).isEqualTo(OfferState.APPROVED);
		assertThat(approved.approvedBy()).isEqualTo("ann");

		Document page = page(get("/admin/offers/{key}", this.key).with(OPS));
		assertThat(page.select("h1 .badge").text()).isEqualTo("Approved");
		assertThat(page.select("ol#history li").eachText()).satisfiesExactly(
				(step) -> assertThat(step).contains("mark", "Created the offer"),
				(step) -> assertThat(step).contains("mia", "Submitted for review", "For the winter"),
				(step) -> assertThat(step).contains("ann", "Asked for changes", "Say until when"),
				(step) -> assertThat(step).contains("mia", "Saved changes"),
				(step) -> assertThat(step).contains("mia", "Submitted for review", "Now with dates"),
				(step) -> assertThat(step).contains("ann", "Approved", "Fine"));
		assertThat(page.select("form")).extracting((form) -> form.attr("action"))
			.noneMatch((action) -> action.startsWith("/admin/offers/"));
	}

	@Test
	void nobodyReviewsTheirOwnWorkAndThePageSaysWhy() throws Exception {
		this.mvc.perform(newOffer("action", "submit").with(ADA)).andExpect(redirectedUrl("/admin/offers/" + this.key));
		assertThat(this.offers.find(this.key).orElseThrow().state()).isEqualTo(OfferState.IN_REVIEW);

		Document page = page(get("/admin/offers/{key}", this.key).with(ADA));
		assertThat(page.select("form#review-form")).isEmpty();
		assertThat(page.select("#own-work").text()).contains("someone else must approve");
		// the service refuses whatever is posted
		this.mvc.perform(post("/admin/offers/{key}/approve", this.key).with(ADA).with(csrf()))
			.andExpect(redirectedUrl("/admin/offers/" + this.key))
			.andExpect(flash().attribute("problem", org.hamcrest.Matchers.containsString("last editor")));
		assertThat(this.offers.find(this.key).orElseThrow().state()).isEqualTo(OfferState.IN_REVIEW);
	}

	@Test
	void theApproverSeesWhatChangedSinceTheApprovalTextAndSettings() throws Exception {
		this.offers.save(offer("<p>Cover your boiler for 10 pounds a month</p>"), MARKETER);
		this.offers.approve(this.key, null, APPROVER, null);
		this.mvc
			.perform(edit("content.default", "<p>Cover your boiler for 8 pounds a month</p>", "priority", "9", "action",
					"submit")
				.with(MIA))
			.andExpect(redirectedUrl("/admin/offers/" + this.key));

		Document review = page(get("/admin/offers/{key}", this.key).with(ANN));
		assertThat(review.select("table#setting-changes tbody tr").eachText()).contains("Priority 1 9");
		assertThat(review.select("table#setting-changes").text()).contains("Segment", "Every customer",
				"Homeowners " + this.run, "Templates", "Every template", "invoice", "End", "No limit");
		assertThat(review.select("dl.diff del").text()).isEqualTo("10");
		assertThat(review.select("dl.diff ins").text()).isEqualTo("8");
		assertThat(review.select("dl.diff dt").text()).contains("Text in the default language");
		assertThat(review.select(".offer-preview").first().text()).contains("8 pounds");
	}

	@Test
	void anApprovedOfferIsRetiredANeverApprovedOneDiscarded() throws Exception {
		this.offers.save(offer("<p>Cover</p>"), MARKETER);
		assertThat(page(get("/admin/offers/{key}", this.key).with(MIA)).select("form[action$=/discard]")).hasSize(1);
		assertThat(page(get("/admin/offers/{key}", this.key).with(MIA)).select("form#retire-form")).isEmpty();
		this.offers.approve(this.key, null, APPROVER, null);

		Document approved = page(get("/admin/offers/{key}", this.key).with(MIA));
		assertThat(approved.select("form[action$=/discard]")).isEmpty();
		this.mvc.perform(post("/admin/offers/{key}/retire", this.key).with(OPS).with(csrf()))
			.andExpect(status().isForbidden());
		this.mvc.perform(post("/admin/offers/{key}/discard", this.key).with(MIA).with(csrf()))
			.andExpect(redirectedUrl("/admin/offers/" + this.key));
		assertThat(this.offers.find(this.key)).isPresent();
		this.mvc.perform(post("/admin/offers/{key}/retire", this.key).with(MIA).with(csrf()).param("comment", "Spring"))
			.andExpect(redirectedUrl("/admin/offers/" + this.key));
		assertThat(this.offers.find(this.key).orElseThrow().state()).isEqualTo(OfferState.RETIRED);
		assertThat(this.offers.history(this.key)).last()
			.satisfies((step) -> assertThat(step.actor()).isEqualTo("mia"))
			.satisfies((step) -> assertThat(step.comment()).isEqualTo("Spring"));
		this.mvc.perform(get("/admin/offers/{key}/edit", this.key).with(MIA))
			.andExpect(redirectedUrl("/admin/offers/" + this.key));

		String draft = "draft-" + this.run;
		this.offers.save(new Offer(draft, "Draft", null, 1, 1, List.of(), Map.of("default", "<p>Draft</p>"), true),
				MARKETER);
		this.mvc.perform(post("/admin/offers/{key}/discard", draft).with(ANN).with(csrf()))
			.andExpect(status().isForbidden());
		this.mvc.perform(post("/admin/offers/{key}/discard", draft).with(MIA).with(csrf()))
			.andExpect(redirectedUrl("/admin/offers"));
		assertThat(this.offers.find(draft)).isEmpty();
	}

	@Test
	void thePreviewRendersTheTextForASampleCustomerAsTheMarketerTypes() throws Exception {
		MvcResult result = this.mvc
			.perform(post("/admin/offers/preview").with(MIA)
				.with(csrf())
				.header("HX-Request", "true")
				.param("content.default", "<p>Hello {{customer.name}}</p><script>alert(1)</script>")
				.param("content.pl", "<p>Witaj {{customer.name}}</p>")
				.param("previewLocale", "pl"))
			.andExpect(status().isOk())
			.andReturn();
		Document fragment = Jsoup.parse(result.getResponse().getContentAsString());
		assertThat(fragment.select("#offer-preview-output").text()).isEqualTo("Witaj Sample Customer");
		result = this.mvc
			.perform(post("/admin/offers/preview").with(MIA)
				.with(csrf())
				.param("content.default", "<p>Hello {{customer.name}}</p><script>alert(1)</script>"))
			.andReturn();
		fragment = Jsoup.parse(result.getResponse().getContentAsString());
		assertThat(fragment.select("#offer-preview-output").html()).contains("Hello Sample Customer")
			.doesNotContain("script");
		this.mvc
			.perform(post("/admin/offers/preview").with(OPS)
				.with(csrf())
				.param("content.default", "<p>Hello {{customer.name}}</p>"))
			.andExpect(status().isForbidden());
	}

	@Test
	void anUnknownOfferIsNotFound() throws Exception {
		this.mvc.perform(get("/admin/offers/{key}", "no-such-" + this.run).with(OPS)).andExpect(status().isNotFound());
	}

	private Offer offer(String text) {
		return new Offer(this.key, "Boiler cover", null, 1, 1, List.of(), Map.of("default", text), true);
	}

	/**
	 * The new-offer form filled in; every pair of arguments replaces a field's value.
	 */
	private MockHttpServletRequestBuilder newOffer(String... overrides) {
		MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
		form.set("key", this.key);
		form.set("name", "Boiler cover");
		form.set("content.default", "<p>Hello {{customer.name}}</p>");
		form.set("newLocale", "pl");
		form.set("newContent", "<p>Dzień dobry</p>");
		form.set("segment", this.segment);
		form.set("priority", "5");
		form.set("maxImpressions", "2");
		form.set("templates", "invoice");
		form.set("startsAt", "2027-01-01T09:00");
		form.set("endsAt", "2027-03-01T09:00");
		return post("/admin/offers/new").with(csrf()).params(override(form, overrides));
	}

	/**
	 * The editor's form for the stored offer, based on its current version unless the
	 * arguments name another.
	 */
	private MockHttpServletRequestBuilder edit(String... overrides) {
		Offer stored = this.offers.find(this.key).orElseThrow();
		MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
		form.set("version", String.valueOf(stored.version()));
		form.set("name", "Boiler cover");
		form.set("content.default", "<p>Cover your boiler until March</p>");
		form.set("segment", this.segment);
		form.set("priority", "1");
		form.set("maxImpressions", "1");
		form.set("templates", "invoice");
		form.set("endsAt", "2027-03-01T09:00");
		return post("/admin/offers/{key}/edit", this.key).with(csrf()).params(override(form, overrides));
	}

	private static MultiValueMap<String, String> override(MultiValueMap<String, String> form, String... overrides) {
		for (int i = 0; i + 1 < overrides.length; i += 2) {
			form.set(overrides[i], overrides[i + 1]);
		}
		return form;
	}

	private Document page(MockHttpServletRequestBuilder request) throws Exception {
		MvcResult result = this.mvc.perform(request).andExpect(status().isOk()).andReturn();
		return Jsoup.parse(result.getResponse().getContentAsString());
	}

}
