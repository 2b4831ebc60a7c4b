package org.ccm.admin;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.ccm.core.Channel;
import org.ccm.core.CustomerDetails;
import org.ccm.core.Customers;
import org.ccm.core.Purpose;
import org.ccm.templates.Actor;
import org.ccm.templates.Block;
import org.ccm.templates.DraftRequest;
import org.ccm.templates.NewTemplate;
import org.ccm.templates.TemplateAuthoring;
import org.ccm.templates.TemplateVersion;
import org.ccm.templates.VersionState;
import org.ccm.templates.VersionTransition;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The studio's pages for each role: what each page shows, and that every step goes
 * through the review rules and is recorded under the staff member's name.
 */
@AdminIntegrationTest
class TemplateStudioPagesTests {

	static final Actor BRAND_TEAM = new Actor("brand-team", Set.of(Actor.BRAND));

	static final RequestPostProcessor MIA = user("mia").roles("MARKETER");

	static final RequestPostProcessor ANN = user("ann").roles("APPROVER");

	static final RequestPostProcessor OPS = user("otto").roles("OPS");

	static final RequestPostProcessor BRENDA = user("brenda").roles("BRAND");

	@Autowired
	MockMvc mvc;

	@Autowired
	TemplateAuthoring authoring;

	@Autowired
	Customers customers;

	String key;

	TemplateVersion invoice;

	@BeforeEach
	void publishedTemplate() {
		this.key = "studio-" + UUID.randomUUID().toString().substring(0, 8);
		this.invoice = this.authoring.version("invoice", 1);
		this.authoring.create(new NewTemplate(this.key, "Studio invoice", Purpose.TRANSACTIONAL,
				Set.of(Channel.EMAIL, Channel.SMS, Channel.PRINT, Channel.PORTAL), "invoice",
				List.of("payment-terms", "company-details")), BRAND_TEAM);
		this.authoring.createDraft(this.key,
				new DraftRequest(this.invoice.content(), this.invoice.dataSchema(), this.invoice.sampleData()),
				BRAND_TEAM);
		this.authoring.submit(this.key, 1, BRAND_TEAM, "first");
		Actor approver = new Actor("approver-x", Set.of(Actor.APPROVER));
		this.authoring.approve(this.key, 1, approver, "fine");
		this.authoring.publish(this.key, 1, approver, "live");
	}

	@Test
	void theListShowsEachTemplateWithItsVersionsChannelsAndLastChange() throws Exception {
		Document page = page(get("/admin/templates").with(OPS));
		Element row = page.selectFirst("tr:has(a[href=/admin/templates/" + this.key + "])");
		assertThat(row).isNotNull();
		assertThat(row.text()).contains("Studio invoice", this.key, "EMAIL", "SMS", "PRINT", "PORTAL", "v1 Published",
				"by approver-x");
		assertThat(page.select("nav a[href=/admin/templates]")).hasSize(1);
	}

	@Test
	void theTemplatePageShowsVersionsWithHistoryAndMakesANewDraftFromAVersion() throws Exception {
		Document page = page(get("/admin/templates/{key}", this.key).with(MIA));
		assertThat(page.select("h3#version-1").text()).isEqualTo("Version 1");
		assertThat(page.select("section.version").text()).contains("Published", "Created as draft", "brand-team",
				"In review → approved", "approver-x", "fine");
		assertThat(page.select("form[action$=/versions/1/copy] button").text()).isEqualTo("New draft from version 1");

		this.mvc.perform(post("/admin/templates/{key}/versions/1/copy", this.key).with(MIA).with(csrf()))
			.andExpect(redirectedUrl("/admin/templates/" + this.key + "/versions/2/edit"));
		TemplateVersion draft = this.authoring.version(this.key, 2);
		assertThat(draft.author()).isEqualTo("mia");
		assertThat(draft.state()).isEqualTo(VersionState.DRAFT);
		assertThat(this.authoring.history(this.key, 2)).extracting(VersionTransition::actor).containsExactly("mia");
	}

	@Test
	void theAuthorDiscardsTheirDraftFromTheTemplatePage() throws Exception {
		draftByMia();
		assertThat(page(get("/admin/templates/{key}", this.key).with(ANN)).select("form[action$=/discard]")).isEmpty();
		Document page = page(get("/admin/templates/{key}", this.key).with(MIA));
		assertThat(page.select("form[action$=/versions/2/discard] button").text()).isEqualTo("Discard draft 2");
		assertThat(page.select("form[action$=/versions/1/discard]")).isEmpty();

		this.mvc.perform(post("/admin/templates/{key}/versions/2/discard", this.key).with(BRENDA).with(csrf()))
			.andExpect(redirectedUrl("/admin/templates/" + this.key));
		assertThat(this.authoring.versions(this.key)).hasSize(2);
		this.mvc.perform(post("/admin/templates/{key}/versions/2/discard", this.key).with(MIA).with(csrf()))
			.andExpect(redirectedUrl("/admin/templates/" + this.key));
		assertThat(this.authoring.versions(this.key)).extracting(TemplateVersion::version).containsExactly(1);
		this.mvc.perform(post("/admin/templates/{key}/versions/1/discard", this.key).with(MIA).with(csrf()))
			.andExpect(redirectedUrl("/admin/templates/" + this.key));
		assertThat(this.authoring.version(this.key, 1).state()).isEqualTo(VersionState.PUBLISHED);
	}

	@Test
	void opsReadButNeitherDraftNorReview() throws Exception {
		Document page = page(get("/admin/templates/{key}", this.key).with(OPS));
		assertThat(page.select("form[action$=/copy]")).isEmpty();
		this.mvc.perform(post("/admin/templates/{key}/versions/1/copy", this.key).with(OPS).with(csrf()))
			.andExpect(status().isForbidden());
		draftByMia();
		MvcResult edit = this.mvc.perform(get("/admin/templates/{key}/versions/2/edit", this.key).with(OPS))
			.andExpect(status().isForbidden())
			.andReturn();
		assertThat(Jsoup.parse(edit.getResponse().getContentAsString()).select("h1").text())
			.isEqualTo("You cannot do this");
		this.mvc.perform(post("/admin/templates/{key}/versions/2/submit", this.key).with(OPS).with(csrf()))
			.andExpect(status().isForbidden());
		this.mvc.perform(post("/admin/templates/{key}/versions/1/retire", this.key).with(MIA).with(csrf()))
			.andExpect(status().isForbidden());
	}

	@Test
	void theEditorShowsEditableBlocksAsRichTextLockedBlocksReadOnlyCountersAndFields() throws Exception {
		draftByMia();
		Document page = page(get("/admin/templates/{key}/versions/2/edit", this.key).with(MIA));
		assertThat(page.select("textarea#block-intro[data-rich][name=block.intro]")).hasSize(1);
		assertThat(page.select("label[for=block-intro]").text()).isEqualTo("Block “intro”");
		assertThat(page.select("textarea[name=block.payment-terms]")).isEmpty();
		assertThat(page.select("div.locked-block#block-payment-terms").text()).contains("Payment is due");
		assertThat(page.select("#block-payment-terms-label .badge").text()).isEqualTo("locked");
		assertThat(page.select("input#subject").attr("hx-post")).isEqualTo("/admin/studio/count/subject");
		assertThat(page.select("#sms-count[aria-live=polite]").text()).contains("charged as 1 message",
				"not including personalisation");
		assertThat(page.select("select#placeholder option").eachText()).contains("invoiceNumber", "total",
				"description", "customer.name", "links.portal");
		assertThat(page.select("input#readAt").val())
			.isEqualTo(this.authoring.version(this.key, 2).updatedAt().toString());
		assertThat(page.select("nav.locales a").eachText()).containsExactly("Default", "de", "pl");
		assertThat(page.select("script[src=/admin/vendor/squire/squire.js]")).hasSize(1);
		assertThat(page.select("form#preview-options").attr("hx-get"))
			.isEqualTo("/admin/templates/" + this.key + "/versions/2/preview");

		Document polish = page(get("/admin/templates/{key}/versions/2/edit", this.key).param("locale", "pl").with(MIA));
		assertThat(polish.select("textarea#block-intro").text()).contains("Szanowni Państwo");
	}

	@Test
	void theBrandTeamEditsLockedBlocks() throws Exception {
		this.mvc.perform(post("/admin/templates/{key}/versions/1/copy", this.key).with(BRENDA).with(csrf()))
			.andExpect(status().is3xxRedirection());
		Document page = page(get("/admin/templates/{key}/versions/2/edit", this.key).with(BRENDA));
		assertThat(page.select("textarea#block-payment-terms[data-rich]")).hasSize(1);
		assertThat(page.select("#block-payment-terms-hint").text()).contains("required legal clause");

		this.mvc
			.perform(save("brenda-edit").with(BRENDA)
				.param("block.payment-terms", "<p>Payment is due within 14 days.</p>"))
			.andExpect(status().is3xxRedirection());
		assertThat(text(this.authoring.version(this.key, 2), "payment-terms"))
			.isEqualTo("<p>Payment is due within 14 days.</p>");

		MvcResult emptied = this.mvc.perform(save("brenda-edit").with(BRENDA).param("block.payment-terms", " "))
			.andExpect(status().is(422))
			.andReturn();
		Document refused = Jsoup.parse(emptied.getResponse().getContentAsString());
		assertThat(refused.select(".error-summary a[href=#block-payment-terms]").text())
			.contains("required legal clause");
	}

	@Test
	void aMarketerCannotChangeALockedBlockWhateverTheyPost() throws Exception {
		draftByMia();
		this.mvc.perform(save("mia-edit").with(MIA).param("block.payment-terms", "<p>Pay whenever.</p>"))
			.andExpect(status().is3xxRedirection())
			.andExpect(flash().attribute("notice", org.hamcrest.Matchers.startsWith("Saved at")));
		TemplateVersion saved = this.authoring.version(this.key, 2);
		assertThat(text(saved, "intro")).isEqualTo("<p>mia-edit</p>");
		assertThat(text(saved, "payment-terms")).startsWith("<p>Payment is due by the date shown.");
	}

	@Test
	void aSaveWithProblemsShowsThemByTheirFieldsAndSavesNothing() throws Exception {
		draftByMia();
		TemplateVersion before = this.authoring.version(this.key, 2);
		MvcResult result = this.mvc
			.perform(save("<p onclick=\"x()\">Hi</p><script>alert(1)</script>").with(MIA)
				.param("subject", "Invoice {{nope}}")
				.param("sms", "x".repeat(470)))
			.andExpect(status().is(422))
			.andReturn();
		Document page = Jsoup.parse(result.getResponse().getContentAsString());
		assertThat(page.title()).startsWith("Error: ");
		Element summary = page.selectFirst(".error-summary[role=alert][tabindex=-1]");
		assertThat(summary.select("h2").text()).isEqualTo("There is a problem");
		assertThat(summary.select("a[href=#block-intro]").text()).contains("<script>", "onclick on <p>");
		assertThat(summary.select("a[href=#subject]").text()).contains("{{nope}}", "not a field of this template");
		assertThat(summary.select("a[href=#sms]").text()).contains("too long", "Cut 11 characters");
		// the same words next to each field, which points at them
		assertThat(page.select("#block-intro-error").text()).contains("<script>");
		assertThat(page.select("textarea#block-intro").attr("aria-describedby")).contains("block-intro-error");
		assertThat(page.select("#subject-error").text()).contains("{{nope}}");
		assertThat(page.select("textarea#sms").text()).hasSize(470);
		assertThat(page.select("#sms-count").hasClass("error-message")).isTrue();
		// nothing saved half-way
		assertThat(this.authoring.version(this.key, 2).content()).isEqualTo(before.content());
	}

	@Test
	void aSaveOverANewerDraftIsRefusedWithAClearMessage() throws Exception {
		TemplateVersion draft = draftByMia();
		this.mvc.perform(save("first tab").with(MIA)).andExpect(status().is3xxRedirection());
		MvcResult stale = this.mvc.perform(save("second tab").with(MIA).param("readAt", draft.updatedAt().toString()))
			.andExpect(status().is(422))
			.andReturn();
		Document page = Jsoup.parse(stale.getResponse().getContentAsString());
		assertThat(page.select(".error-summary a[href=#draft]").text()).contains("saved somewhere else",
				"were not saved");
		assertThat(text(this.authoring.version(this.key, 2), "intro")).isEqualTo("<p>first tab</p>");
	}

	@Test
	void autosaveAnswersWithItsStatusAndTellsThePreviewToRefresh() throws Exception {
		draftByMia();
		MvcResult saved = this.mvc
			.perform(post("/admin/templates/{key}/versions/2/autosave", this.key).with(MIA)
				.with(csrf())
				.param("locale", "default")
				.param("readAt", this.authoring.version(this.key, 2).updatedAt().toString())
				.param("block.intro", "<p>Autosaved <strong>text</strong></p>"))
			.andExpect(status().isOk())
			.andExpect(header().string("HX-Trigger", "draft-saved"))
			.andReturn();
		Document fragment = Jsoup.parse(saved.getResponse().getContentAsString());
		TemplateVersion after = this.authoring.version(this.key, 2);
		assertThat(fragment.select("#autosave[role=status]").text()).contains("Draft saved automatically");
		assertThat(fragment.select("input#readAt[hx-swap-oob]").val()).isEqualTo(after.updatedAt().toString());
		assertThat(text(after, "intro")).isEqualTo("<p>Autosaved <strong>text</strong></p>");

		MvcResult refused = this.mvc
			.perform(post("/admin/templates/{key}/versions/2/autosave", this.key).with(MIA)
				.with(csrf())
				.param("locale", "default")
				.param("readAt", after.updatedAt().toString())
				.param("block.intro", "<p>{{unknown.field}}</p>"))
			.andExpect(status().isOk())
			.andExpect(header().doesNotExist("HX-Trigger"))
			.andReturn();
		assertThat(Jsoup.parse(refused.getResponse().getContentAsString()).select(".autosave-problems").text())
			.contains("Not saved automatically", "{{unknown.field}}");
		assertThat(text(this.authoring.version(this.key, 2), "intro"))
			.isEqualTo("<p>Autosaved <strong>text</strong></p>");
	}

	@Test
	void theSmsCounterIsRenderedByTheServerWithEncodingSegmentsAndWhatToCut() throws Exception {
		Document gsm = page(post("/admin/studio/count/sms").with(MIA).with(csrf()).param("sms", "Hello €5"));
		assertThat(gsm.select("#sms-count[aria-live=polite]").text())
			.isEqualTo("9 characters, charged as 1 message (not including personalisation).");
		Document ucs = page(post("/admin/studio/count/sms").with(MIA).with(csrf()).param("sms", "Zażółć gęślą"));
		assertThat(ucs.text()).contains("Sent as UCS-2", "ż ó ł ć ę ś ą");
		Document tooLong = page(post("/admin/studio/count/sms").with(MIA).with(csrf()).param("sms", "ł".repeat(250)));
		assertThat(tooLong.text()).contains("charged as 4 messages", "Too long: at most 3 messages",
				"Cut 49 characters");
		assertThat(tooLong.select("#sms-count").hasClass("error-message")).isTrue();
		Document subject = page(
				post("/admin/studio/count/subject").with(MIA).with(csrf()).param("subject", "Hi there"));
		assertThat(subject.text()).startsWith("8 characters");
	}

	@Test
	void thePreviewShowsEachChannelForASampleOrARealCustomerAndSaysWhatIsWrong() throws Exception {
		draftByMia();
		this.mvc.perform(save("<p>Preview me {{customer.name}}</p>").with(MIA)).andExpect(status().is3xxRedirection());
		String preview = "/admin/templates/{key}/versions/2/preview";

		Document email = page(get(preview, this.key).param("channel", "EMAIL").param("width", "mobile").with(MIA));
		Element frame = email.selectFirst("iframe.email-frame.mobile[sandbox][title]");
		assertThat(Jsoup.parse(frame.attr("srcdoc")).text()).contains("Preview me Sample Customer");
		assertThat(email.select(".preview-subject").text()).contains("INV-2026-0001");

		Document sms = page(get(preview, this.key).param("channel", "SMS").with(MIA));
		assertThat(sms.select(".sms-bubble").text()).startsWith("Invoice INV-2026-0001");
		assertThat(sms.text()).contains("in GSM-7, charged as");

		Document polish = page(get(preview, this.key).param("channel", "SMS").param("locale", "pl-PL").with(MIA));
		assertThat(polish.select(".sms-bubble").text()).startsWith("Faktura INV-2026-0001");

		Document print = page(get(preview, this.key).param("channel", "PRINT").with(MIA));
		assertThat(print.select("img.pdf-page").attr("src")).startsWith("data:image/png;base64,");
		assertThat(print.select("img.pdf-page").attr("alt")).startsWith("Printed page 1 of ");
		this.mvc.perform(get("/admin/templates/{key}/versions/2/preview.pdf", this.key).with(MIA))
			.andExpect(status().isOk())
			.andExpect(header().string("Content-Type", "application/pdf"));

		Document portal = page(get(preview, this.key).param("channel", "PORTAL").with(MIA));
		assertThat(Jsoup.parse(portal.select("iframe").attr("srcdoc")).text()).contains("Preview me");

		Document unknown = page(get(preview, this.key).param("customer", "nobody-here").with(MIA));
		assertThat(unknown.select(".alert.error").text()).contains("There is no customer with the id “nobody-here”");
	}

	@Test
	void theReviewComparesThePrintedPagesOfBothVersionsAndOutlinesWhatChanged() throws Exception {
		draftByMia();
		Document same = page(get("/admin/templates/{key}/versions/2/compare", this.key).with(ANN));
		assertThat(same.select(".comparison").text()).contains("looks the same as in the published version 1");
		assertThat(same.select("figcaption").eachText()).contains("This version, page 1: no change");

		this.mvc
			.perform(
					save("<h2>A much longer greeting</h2><p>With a second paragraph that was not there.</p>").with(MIA))
			.andExpect(status().is3xxRedirection());
		Document changed = page(get("/admin/templates/{key}/versions/2/compare", this.key).with(ANN));
		Element pair = changed.selectFirst(".page-pair");
		assertThat(pair.select("img").eachAttr("src")).hasSize(2).allMatch((src) -> src.startsWith("data:image/png"));
		assertThat(pair.select("figcaption").eachText().get(1)).matches("This version, page 1: \\d+ changed areas?");
		assertThat(page(get("/admin/templates/{key}/versions/2", this.key).with(ANN)).select("#visual-diff")
			.attr("hx-get")).isEqualTo("/admin/templates/" + this.key + "/versions/2/compare");

		Document published = page(get("/admin/templates/{key}/versions/1/compare", this.key).with(ANN));
		assertThat(published.text()).contains("There is no other published version to compare with.");
	}

	@Test
	void proofSetsAreKeptWithTheTemplateAndChosenInThePreview() throws Exception {
		String polish = this.customers
			.upsert("PL-" + UUID.randomUUID(),
					new CustomerDetails("Zofia Łęcka", Locale.forLanguageTag("pl-PL"), null, "zofia@example.com", null,
							null, Map.of(), Map.of(), null, List.of()))
			.externalId();
		this.mvc
			.perform(post("/admin/templates/{key}/proof-sets", this.key).with(MIA)
				.with(csrf())
				.param("name", "Polish customer")
				.param("customer", polish))
			.andExpect(redirectedUrl("/admin/templates/" + this.key + "#proof-sets-heading"));
		Document template = page(get("/admin/templates/{key}", this.key).with(MIA));
		assertThat(template.select("section:has(#proof-sets-heading) tbody tr").text()).contains("Polish customer",
				polish, "the version's sample data", "by mia");

		Document preview = page(get("/admin/templates/{key}/versions/1/preview", this.key).param("channel", "SMS")
			.param("proof", "Polish customer")
			.with(MIA));
		assertThat(preview.select(".meta").text()).isEqualTo("SMS for the proof set “Polish customer”");
		assertThat(preview.select(".sms-bubble").text()).startsWith("Faktura INV-2026-0001");
		Document version = page(get("/admin/templates/{key}/versions/1", this.key).with(MIA));
		assertThat(version.select("select#preview-proof option").eachText()).containsExactly("None: sample data",
				"Polish customer");

		MvcResult bad = this.mvc
			.perform(post("/admin/templates/{key}/proof-sets", this.key).with(MIA)
				.with(csrf())
				.param("name", " ")
				.param("customer", "nobody-" + UUID.randomUUID())
				.param("data", "{\"invoiceNumber\": 42}"))
			.andExpect(status().is(422))
			.andReturn();
		Document refused = Jsoup.parse(bad.getResponse().getContentAsString());
		Element summary = refused.selectFirst("form.proof-form .error-summary");
		assertThat(summary.select("a[href=#proof-name]").text()).contains("Name must be 1 to 80 characters");
		assertThat(summary.select("a[href=#proof-customer]").text()).contains("not a customer");
		assertThat(summary.select("a[href=#proof-data]").text()).contains("invoiceNumber");
		assertThat(refused.select("#proof-data").text()).isEqualTo("{\"invoiceNumber\": 42}");
		MvcResult notJson = this.mvc
			.perform(post("/admin/templates/{key}/proof-sets", this.key).with(MIA)
				.with(csrf())
				.param("name", "Broken")
				.param("data", "{lines: "))
			.andExpect(status().is(422))
			.andReturn();
		assertThat(Jsoup.parse(notJson.getResponse().getContentAsString()).select("#proof-data-error").text())
			.contains("Data is not a JSON object");
		this.mvc.perform(post("/admin/templates/{key}/proof-sets", this.key).with(OPS).with(csrf()).param("name", "x"))
			.andExpect(status().isForbidden());

		this.mvc
			.perform(post("/admin/templates/{key}/proof-sets/delete", this.key).with(MIA)
				.with(csrf())
				.param("name", "Polish customer"))
			.andExpect(status().is3xxRedirection());
		assertThat(page(get("/admin/templates/{key}", this.key).with(MIA)).text()).contains("No proof sets yet");
	}

	@Test
	void anApproverSeesTheChangesApprovesAndPublishesAndEveryStepIsTheirs() throws Exception {
		draftByMia();
		this.mvc
			.perform(save("<p>Dear {{customer.name}}, your new invoice is here.</p>").with(MIA)
				.param("action", "submit")
				.param("comment", "friendlier greeting"))
			.andExpect(redirectedUrl("/admin/templates/" + this.key + "/versions/2"));
		assertThat(this.authoring.version(this.key, 2).state()).isEqualTo(VersionState.IN_REVIEW);

		Document review = page(get("/admin/templates/{key}/versions/2", this.key).with(ANN));
		Element intro = review.selectFirst("dl.diff dt:contains(Block intro (default)) + dd");
		assertThat(intro.select("del").text()).contains("your");
		assertThat(intro.select("ins").text()).contains("new");
		assertThat(review.select("#review-form button").eachText()).containsExactly("Approve", "Ask for changes");
		// the author is told someone else must approve
		Document own = page(get("/admin/templates/{key}/versions/2", this.key).with(user("mia").roles("APPROVER")));
		assertThat(own.select("#review-form")).isEmpty();
		assertThat(own.text()).contains("someone else must approve it");
		// and the service refuses it whatever the page shows
		this.mvc
			.perform(post("/admin/templates/{key}/versions/2/approve", this.key)
				.with(user("mia").roles("APPROVER", "MARKETER"))
				.with(csrf()))
			.andExpect(flash().attribute("problem", "Nothing changed: The author of a version cannot approve it."));
		// a marketer cannot approve at all
		this.mvc.perform(post("/admin/templates/{key}/versions/2/approve", this.key).with(MIA).with(csrf()))
			.andExpect(status().isForbidden());

		this.mvc
			.perform(post("/admin/templates/{key}/versions/2/approve", this.key).with(ANN)
				.with(csrf())
				.param("comment", "reads well"))
			.andExpect(flash().attribute("notice", "Version 2 is approved and can be published."));
		Document approved = page(get("/admin/templates/{key}/versions/2", this.key).with(ANN));
		assertThat(approved.select("form[action$=/publish] button").text()).isEqualTo("Publish");
		this.mvc.perform(post("/admin/templates/{key}/versions/2/publish", this.key).with(ANN).with(csrf()))
			.andExpect(redirectedUrl("/admin/templates/" + this.key + "/versions/2"));

		assertThat(this.authoring.version(this.key, 2).state()).isEqualTo(VersionState.PUBLISHED);
		assertThat(this.authoring.version(this.key, 1).state()).isEqualTo(VersionState.RETIRED);
		assertThat(this.authoring.history(this.key, 2)).extracting(VersionTransition::actor)
			.containsExactly("mia", "mia", "ann", "ann");
		assertThat(this.authoring.history(this.key, 2)).extracting(VersionTransition::comment)
			.contains("friendlier greeting", "reads well");
		Document list = page(get("/admin/templates").with(ANN));
		assertThat(list.selectFirst("tr:has(a[href=/admin/templates/" + this.key + "])").text()).contains("v1 Retired",
				"v2 Published", "by ann");
	}

	@Test
	void askingForChangesNeedsAReasonAndGivesTheDraftBackToItsAuthor() throws Exception {
		draftByMia();
		this.mvc.perform(post("/admin/templates/{key}/versions/2/submit", this.key).with(MIA).with(csrf()))
			.andExpect(status().is3xxRedirection());
		this.mvc.perform(
				post("/admin/templates/{key}/versions/2/reject", this.key).with(ANN).with(csrf()).param("comment", " "))
			.andExpect(flash().attribute("commentError", "Say what needs to change"));
		assertThat(this.authoring.version(this.key, 2).state()).isEqualTo(VersionState.IN_REVIEW);

		this.mvc
			.perform(post("/admin/templates/{key}/versions/2/reject", this.key).with(ANN)
				.with(csrf())
				.param("comment", "Mention the due date"))
			.andExpect(status().is3xxRedirection());
		assertThat(this.authoring.version(this.key, 2).state()).isEqualTo(VersionState.DRAFT);
		Document template = page(get("/admin/templates/{key}", this.key).with(MIA));
		assertThat(template.select("section.version:has(#version-2) .badge").text()).isEqualTo("Changes requested");
		assertThat(template.select("section.version:has(#version-2)").text()).contains("Mention the due date",
				"In review → draft");
		assertThat(template.select("section.version:has(#version-2) a[href$=/versions/2/edit]")).hasSize(1);
	}

	private TemplateVersion draftByMia() {
		return this.authoring.createDraft(this.key, new DraftRequest(this.invoice.content(), null, null),
				new Actor("mia", Set.of()));
	}

	private MockHttpServletRequestBuilder save(String intro) {
		return post("/admin/templates/{key}/versions/2/edit", this.key).with(csrf())
			.param("locale", "default")
			.param("block.intro", intro.startsWith("<") ? intro : "<p>" + intro + "</p>");
	}

	private Document page(MockHttpServletRequestBuilder request) throws Exception {
		MvcResult result = this.mvc.perform(request).andExpect(status().isOk()).andReturn();
		return Jsoup.parse(result.getResponse().getContentAsString());
	}

	private static String text(TemplateVersion version, String block) {
		return version.content()
			.blocks()
			.stream()
			.filter((b) -> b.key().equals(block))
			.map(Block::content)
			.findFirst()
			.orElseThrow()
			.get("default");
	}

}
