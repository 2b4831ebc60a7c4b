package org.ccm.admin;

import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.ccm.core.Channel;
import org.ccm.core.Purpose;
import org.ccm.core.testing.PostgresTestConfiguration;
import org.ccm.templates.Actor;
import org.ccm.templates.DraftRequest;
import org.ccm.templates.NewTemplate;
import org.ccm.templates.Offer;
import org.ccm.templates.OfferChange;
import org.ccm.templates.OfferState;
import org.ccm.templates.Offers;
import org.ccm.templates.TemplateAuthoring;
import org.ccm.templates.TemplateVersion;
import org.ccm.templates.VersionState;
import org.ccm.templates.VersionTransition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.test.context.EmbeddedKafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

/**
 * The studio in a real browser: a marketer edits a block, sees the preview change and
 * submits; an approver sees the changes, approves and publishes. Likewise for an offer: a
 * marketer writes and submits it, an approver approves it. Every page on the way is
 * checked with axe-core and photographed under {@code target/browser-screenshots}.
 */
@SpringBootTest(classes = AdminTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
				"ccm.tracking.base-url=https://ccm.example.com",
				"ccm.tracking.signing-secret=admin-test-signing-secret-0123456789abcdef" })
@Import({ PostgresTestConfiguration.class, StaffSecurity.class, Meters.class, BrowserStaff.class })
@EmbeddedKafka(partitions = 1)
class StudioBrowserTests {

	@LocalServerPort
	int port;

	@Autowired
	TemplateAuthoring authoring;

	@Autowired
	Offers offers;

	String key;

	@BeforeAll
	static void chromium() {
		Browser.assumeInstalled();
	}

	@BeforeEach
	void publishedTemplate() {
		this.key = "spring-" + UUID.randomUUID().toString().substring(0, 8);
		TemplateVersion invoice = this.authoring.version("invoice", 1);
		Actor brand = new Actor("brand-team", Set.of(Actor.BRAND));
		this.authoring.create(new NewTemplate(this.key, "Spring invoice", Purpose.TRANSACTIONAL,
				Set.of(Channel.EMAIL, Channel.SMS, Channel.PRINT), "invoice", List.of("payment-terms")), brand);
		this.authoring.createDraft(this.key,
				new DraftRequest(invoice.content(), invoice.dataSchema(), invoice.sampleData()), brand);
		this.authoring.submit(this.key, 1, brand, null);
		Actor approver = new Actor("approver-x", Set.of(Actor.APPROVER));
		this.authoring.approve(this.key, 1, approver, null);
		this.authoring.publish(this.key, 1, approver, null);
	}

	@Test
	void aMarketerEditsAndSubmitsAndAnApproverApprovesAndPublishes() throws Exception {
		try (Browser browser = Browser.open("http://localhost:" + this.port, "studio")) {
			browser.go("/admin/login");
			browser.assertAccessible("the login page");
			browser.logIn("mia", BrowserStaff.PASSWORD);

			browser.go("/admin/templates");
			browser.assertAccessible("the templates list");
			browser.screenshot("templates");
			browser.find("a[href='/admin/templates/" + this.key + "']").click();
			browser.waitFor("h3#version-1");
			browser.assertAccessible("the template page");
			browser.screenshot("template");

			// new draft from the published version: the editor opens
			browser.find("form[action$='/versions/1/copy'] button").click();
			WebElement intro = browser.waitFor("#block-intro-editor");
			browser.waitFor((d) -> frameText(browser).contains("Dear"));
			browser.assertAccessible("the editor");
			browser.screenshot("editor");

			// edit the intro; autosave stores it and the preview follows
			intro.click();
			intro.sendKeys(Keys.chord(Keys.CONTROL, "a"));
			intro.sendKeys("Spring offer: pay by card and save, ");
			new Select(browser.find("#placeholder")).selectByValue("customer.name");
			browser.find("#insert-placeholder").click();
			browser.waitFor((d) -> browser.find("#autosave").getText().contains("Draft saved automatically"));
			browser.waitFor((d) -> frameText(browser).contains("Spring offer: pay by card and save, Sample Customer"));
			assertThat(intro(this.authoring.version(this.key, 2))).contains("Spring offer")
				.contains("{{customer.name}}");
			browser.screenshot("edited-with-preview");

			// the SMS counter speaks up when a character forces UCS-2
			WebElement sms = browser.find("#sms");
			sms.click();
			sms.sendKeys(Keys.END, " Dziękujemy");
			browser.waitFor((d) -> browser.find("#sms-count").getText().contains("Sent as UCS-2"));
			assertThat(browser.find("#sms-count").getAttribute("aria-live")).isEqualTo("polite");

			// the mobile email and the printed pages
			browser.find("input[name=width][value=mobile]").click();
			browser.waitFor("#preview-output iframe.email-frame.mobile");
			browser.screenshot("preview-mobile");
			browser.find("input[name=channel][value=PRINT]").click();
			browser.waitFor("#preview-output img.pdf-page");
			browser.screenshot("preview-print");

			browser.find("#comment").sendKeys("Spring campaign greeting");
			browser.find("button[name=action][value=submit]").click();
			browser.waitFor((d) -> browser.find("h1 .badge").getText().equals("In review"));
			browser.assertAccessible("the submitted version");
			browser.screenshot("submitted");
			browser.logOut();

			browser.logIn("ann", BrowserStaff.PASSWORD);
			browser.go("/admin/templates/" + this.key + "/versions/2");
			WebElement added = browser.waitFor("dl.diff ins");
			assertThat(browser.find("dl.diff").getText()).contains("Spring offer");
			assertThat(added.getText()).isNotBlank();
			browser.waitFor("#preview-output iframe");
			browser.waitFor("#visual-diff .page-pair img");
			assertThat(browser.find("#visual-diff").getText()).contains("changed area");
			browser.assertAccessible("the review page");
			browser.screenshot("review");
			browser.find("#comment").sendKeys("Approved for spring");
			browser.find("#review-form button.primary").click();
			browser.waitFor((d) -> browser.find("h1 .badge").getText().equals("Approved"));
			browser.find("form[action$='/publish'] button").click();
			browser.waitFor((d) -> browser.find("h1 .badge").getText().equals("Published"));
			browser.assertAccessible("the published version");
			browser.screenshot("published");
		}
		assertThat(this.authoring.version(this.key, 2).state()).isEqualTo(VersionState.PUBLISHED);
		assertThat(this.authoring.version(this.key, 1).state()).isEqualTo(VersionState.RETIRED);
		assertThat(this.authoring.history(this.key, 2)).extracting(VersionTransition::actor)
			.containsExactly("mia", "mia", "ann", "ann");
	}

	@Test
	void aMarketerCreatesAndSubmitsAnOfferAndAnApproverApprovesIt() throws Exception {
		String offer = "winter-" + this.key;
		try (Browser browser = Browser.open("http://localhost:" + this.port, "offers")) {
			browser.logIn("mia", BrowserStaff.PASSWORD);
			browser.go("/admin/offers");
			browser.assertAccessible("the offers list");
			browser.screenshot("offers");
			browser.find("a#new-offer").click();
			WebElement text = browser.waitFor("#content-default-editor");
			browser.assertAccessible("the offer editor");

			browser.find("#key").sendKeys(offer);
			browser.find("#name").sendKeys("Winter boiler cover");
			text.click();
			text.sendKeys("Winter boiler cover for ");
			new Select(browser.find("#placeholder")).selectByValue("customer.name");
			browser.find("#insert-placeholder").click();
			// the preview follows the text, for a sample customer
			browser.waitFor((d) -> browser.find("#offer-preview-output")
				.getText()
				.contains("Winter boiler cover for Sample Customer"));
			browser.find("#template-" + this.key).click();
			browser.find("#comment").sendKeys("For the winter mailing");
			browser.screenshot("offer-editor");
			browser.find("button[name=action][value=submit]").click();
			browser.waitFor((d) -> browser.find("h1 .badge").getText().equals("Awaiting approval"));
			browser.assertAccessible("the submitted offer");
			browser.screenshot("offer-submitted");
			browser.logOut();

			browser.logIn("ann", BrowserStaff.PASSWORD);
			browser.go("/admin/offers/" + offer);
			browser.waitFor("#review-form");
			assertThat(browser.find(".offer-preview").getText()).contains("Winter boiler cover for Sample Customer");
			browser.assertAccessible("the offer review");
			browser.screenshot("offer-review");
			browser.find("#comment").sendKeys("Fine for winter");
			browser.find("#review-form button.primary").click();
			browser.waitFor((d) -> browser.find("h1 .badge").getText().equals("Approved"));
			browser.assertAccessible("the approved offer");
			browser.screenshot("offer-approved");
		}
		Offer approved = this.offers.find(offer).orElseThrow();
		assertThat(approved.state()).isEqualTo(OfferState.APPROVED);
		assertThat(approved.approvedBy()).isEqualTo("ann");
		assertThat(approved.templates()).containsExactly(this.key);
		// the editor keeps the space before the field as a non-breaking one
		assertThat(approved.content().get("default")).contains("Winter boiler cover for", "{{customer.name}}");
		assertThat(this.offers.history(offer)).extracting(OfferChange::actor, OfferChange::action)
			.containsExactly(tuple("mia", OfferChange.Action.CREATED), tuple("mia", OfferChange.Action.SUBMITTED),
					tuple("ann", OfferChange.Action.APPROVED));
		this.offers.retire(offer, null, new Actor("ann", Set.of(Actor.APPROVER)), "end of the journey");
	}

	private static String frameText(Browser browser) {
		List<WebElement> frames = browser.findAll("#preview-output iframe");
		if (frames.isEmpty()) {
			return "";
		}
		try {
			String srcdoc = frames.get(0).getAttribute("srcdoc");
			return (srcdoc != null) ? org.jsoup.Jsoup.parse(srcdoc).text() : "";
		}
		catch (org.openqa.selenium.StaleElementReferenceException ex) {
			return "";
		}
	}

	private static String intro(TemplateVersion version) {
		return version.content()
			.blocks()
			.stream()
			.filter((block) -> block.key().equals("intro"))
			.findFirst()
			.orElseThrow()
			.content()
			.get("default");
	}

}
