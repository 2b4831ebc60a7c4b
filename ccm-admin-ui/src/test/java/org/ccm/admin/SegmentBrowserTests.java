package org.ccm.admin;

import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.ccm.core.Channel;
import org.ccm.core.CustomerDetails;
import org.ccm.core.CustomerProfile;
import org.ccm.core.Customers;
import org.ccm.core.Purpose;
import org.ccm.core.Segment;
import org.ccm.core.Segments;
import org.ccm.core.Topics;
import org.ccm.core.testing.PostgresTestConfiguration;
import org.ccm.templates.TemplateAuthoring;
import org.ccm.tracking.PortalLinks;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Alert;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.test.context.EmbeddedKafka;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The segment builder and the portal's preference grid in a real browser: a marketer
 * builds a rule with a negated condition, watches the member count follow it, fixes a
 * refused save and saves, and is asked before leaving unsaved rule changes; a Polish
 * customer changes their marketing consent and unticks a topic in the grid; a staff
 * member sees the same grid read-only. Every page is checked with axe-core and
 * photographed under {@code target/browser-screenshots}.
 */
@SpringBootTest(classes = AdminTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
				"ccm.tracking.base-url=https://ccm.example.com",
				"ccm.tracking.signing-secret=admin-test-signing-secret-0123456789abcdef" })
@Import({ PostgresTestConfiguration.class, StaffSecurity.class, Meters.class, BrowserStaff.class })
@EmbeddedKafka(partitions = 1)
class SegmentBrowserTests {

	@LocalServerPort
	int port;

	@Autowired
	Customers customers;

	@Autowired
	Segments segments;

	@Autowired
	TemplateAuthoring authoring;

	@Autowired
	PortalLinks links;

	@Autowired
	Topics topics;

	@BeforeAll
	static void chromium() {
		Browser.assumeInstalled();
	}

	@Test
	void aMarketerBuildsARuleWatchesTheCountAndSavesIt() throws Exception {
		CampaignFixtures.Audience audience = new CampaignFixtures(this.customers, this.segments, this.authoring)
			.audience(3, 1);
		String key = CampaignFixtures.unique("townsfolk");
		try (Browser browser = Browser.open("http://localhost:" + this.port, "segment")) {
			browser.logIn("mia", BrowserStaff.PASSWORD);
			browser.go("/admin/segments");
			browser.assertAccessible("the segment list");
			browser.find("#new-segment").click();
			browser.waitFor("#segment-form");
			browser.waitFor(".count-problems");
			browser.assertAccessible("a new segment");
			browser.screenshot("new");

			// a save with nothing filled in comes back with the summary focused
			browser.find("#save").click();
			browser.waitFor(".error-summary");
			assertThat(browser.script("return document.activeElement.className")).isEqualTo("error-summary");
			assertThat(browser.find(".error-summary").getText()).contains("Key must be")
				.contains("Name must be")
				.contains("This condition needs a name and an op");
			browser.assertAccessible("the refused segment");
			browser.screenshot("refused");

			browser.find("#key").sendKeys(key);
			browser.find("#name").sendKeys("People of " + audience.town());
			new Select(browser.find("select[name='rule.rules[0].type']")).selectByValue("profile");
			browser.waitFor("select[name='rule.rules[0].field']");
			new Select(browser.find("select[name='rule.rules[0].field']")).selectByValue("city");
			new Select(browser.find("select[name='rule.rules[0].op']")).selectByValue("eq");
			browser.find("input[name='rule.rules[0].value']").sendKeys(audience.town());
			browser.waitFor((d) -> browser.find("#count").getText().contains("3 members"));
			assertThat(browser.findAll("#sample tbody tr")).hasSize(3);

			// those of them who may not be sent marketing email
			browser.find("button[value='add:rule']").click();
			browser.waitFor("select[name='rule.rules[1].type']");
			new Select(browser.find("select[name='rule.rules[1].type']")).selectByValue("consent");
			browser.waitFor("select[name='rule.rules[1].purpose']");
			new Select(browser.find("select[name='rule.rules[1].channel']")).selectByValue("EMAIL");
			new Select(browser.find("select[name='rule.rules[1].purpose']")).selectByValue("MARKETING");
			browser.find("button[value='not:rule.rules[1]']").click();
			browser.waitFor("select[name='rule.rules[1].rule.purpose']");
			try {
				browser.waitFor((d) -> browser.find("#count").getText().contains("2 members"));
			}
			catch (RuntimeException ex) {
				browser.screenshot("not-counted");
				throw new AssertionError("the count did not follow the negated condition: "
						+ browser.find("#count").getText() + " / " + browser.find("#builder").getText(), ex);
			}
			browser.assertAccessible("the rule builder with its count");
			browser.screenshot("counted");

			browser.find("#save").click();
			browser.waitFor("[role=status]");
			assertThat(browser.find("[role=status]").getText()).contains("saved as a new version");
			browser.assertAccessible("the saved segment");
			browser.screenshot("saved");
		}
		Segment saved = this.segments.find(key).orElseThrow();
		assertThat(saved.version()).isZero();
		assertThat(this.segments.count(saved.rule())).isEqualTo(2);
	}

	@Test
	void leavingTheBuilderWithUnsavedRuleChangesAsksFirstButNotAfterSavingOrWithoutChanges() throws Exception {
		CampaignFixtures.Audience audience = new CampaignFixtures(this.customers, this.segments, this.authoring)
			.audience(2, 0);
		String key = CampaignFixtures.unique("guarded");
		try (Browser browser = Browser.open("http://localhost:" + this.port, "segment-guard")) {
			browser.logIn("mia", BrowserStaff.PASSWORD);
			// an untouched new segment is left without a question
			browser.go("/admin/segments/new");
			browser.waitFor("#segment-form");
			assertThat(wouldAsk(browser)).as("the guard of an untouched form").isFalse();
			leave(browser);
			browser.waitFor("#new-segment");

			browser.go("/admin/segments/new");
			browser.waitFor("#segment-form");
			browser.find("#key").sendKeys(key);
			browser.find("#name").sendKeys("Guarded " + audience.town());
			new Select(browser.find("select[name='rule.rules[0].type']")).selectByValue("profile");
			browser.waitFor("select[name='rule.rules[0].field']");
			new Select(browser.find("select[name='rule.rules[0].field']")).selectByValue("city");
			new Select(browser.find("select[name='rule.rules[0].op']")).selectByValue("eq");
			browser.find("input[name='rule.rules[0].value']").sendKeys(audience.town());
			// leaving now asks first (WebDriver itself answers the browser's question, so
			// the
			// page's answer is read here)
			assertThat(wouldAsk(browser)).as("the guard after rule changes").isTrue();
			browser.screenshot("unsaved");

			// saved, the segment is left without a question
			browser.find("#save").click();
			browser.waitFor("[role=status]");
			assertThat(wouldAsk(browser)).as("the guard of the saved segment").isFalse();
			// a condition added by the builder is a change too
			browser.find("button[value='add:rule']").click();
			browser.waitFor("select[name='rule.rules[1].type']");
			assertThat(wouldAsk(browser)).as("the guard after adding a condition").isTrue();
			leave(browser);
			browser.waitFor("#new-segment");
		}
		assertThat(this.segments.find(key)).isPresent();
	}

	/**
	 * What the page answers the browser's question before it is left: whether it wants
	 * the person asked (it cancels the event).
	 */
	private static boolean wouldAsk(Browser browser) {
		return (Boolean) browser.script("var event = new Event('beforeunload', { cancelable: true });"
				+ " window.dispatchEvent(event); return event.defaultPrevented;");
	}

	/** Leaves the page as a link would, so that the page's guard is asked. */
	private static void leave(Browser browser) {
		browser.script("window.location.href = '/admin/segments'");
	}

	@Test
	void aPolishCustomerChangesTheirConsentInTheGridAndStaffSeeItReadOnly() throws Exception {
		CampaignFixtures fixtures = new CampaignFixtures(this.customers, this.segments, this.authoring);
		fixtures.template(Purpose.MARKETING, java.util.Set.of(Channel.EMAIL), "newsletter");
		fixtures.template(Purpose.MARKETING, java.util.Set.of(Channel.EMAIL), "service-notices");
		String externalId = CampaignFixtures.unique("PL");
		CustomerProfile customer = this.customers.upsert(externalId,
				new CustomerDetails("Zofia Nowak", Locale.forLanguageTag("pl-PL"), ZoneId.of("Europe/Warsaw"),
						externalId.toLowerCase(Locale.ROOT) + "@example.com", null, null, Map.of(), Map.of(), null,
						List.of()));
		try (Browser browser = Browser.open("http://localhost:" + this.port, "portal")) {
			browser.go("/portal/" + this.links.token(customer.id()) + "/preferences");
			browser.waitFor("#preferences");
			assertThat(browser.find("html").getAttribute("lang")).isEqualTo("pl-PL");
			assertThat(browser.find("h1").getText()).isEqualTo("Twoje preferencje");
			assertThat(browser.find("#transactional-EMAIL").isEnabled()).isFalse();
			assertThat(browser.find("#marketing-SMS").isEnabled()).as("no phone number").isFalse();
			// topics: the mandatory one is locked, explained and still ticked
			assertThat(browser.find("#topics legend").getText())
				.isEqualTo("Czego mogą dotyczyć nasze oferty i nowości");
			assertThat(browser.find("label[for=topic-newsletter]").getText()).isEqualTo("Newsletter");
			assertThat(browser.find("#topic-service-notices").isEnabled()).isFalse();
			assertThat(browser.find("#topic-service-notices").isSelected()).isTrue();
			assertThat(browser.find("#topic-service-notices-required").getText()).startsWith("Wymagane");
			assertThat(browser.find("#topic-newsletter").isSelected()).isTrue();
			browser.assertAccessible("the preference grid");
			browser.screenshot("grid");
			browser.find("#topic-newsletter").click();
			browser.find("#marketing-EMAIL").click();
			browser.find("#save-preferences").click();
			browser.waitFor("[role=status]");
			assertThat(browser.find("[role=status]").getText()).isEqualTo("Twoje preferencje zostały zapisane.");
			assertThat(browser.find("#marketing-EMAIL").isSelected()).isTrue();
			assertThat(browser.find("#topic-newsletter").isSelected()).isFalse();
			assertThat(browser.find("#topic-service-notices").isSelected()).isTrue();
			browser.assertAccessible("the saved preferences");
			browser.screenshot("saved");

			browser.logIn("mia", BrowserStaff.PASSWORD);
			browser.go("/admin/customers/" + externalId + "/portal/preferences");
			browser.waitFor(".view-as");
			assertThat(browser.findAll("#save-preferences")).isEmpty();
			assertThat(browser.find("#marketing-EMAIL").isEnabled()).isFalse();
			assertThat(browser.find("#marketing-EMAIL").isSelected()).isTrue();
			browser.assertAccessible("the staff view of the grid");
			browser.screenshot("staff-view");
		}
		assertThat(this.customers.findById(customer.id()).orElseThrow().consents(Channel.EMAIL, Purpose.MARKETING))
			.isTrue();
		assertThat(this.customers.consentHistory(customer.id()))
			.allSatisfy((change) -> assertThat(change.changedBy()).isEqualTo("customer"));
		assertThat(this.topics.optedOut(customer.id())).containsExactly("newsletter");
		assertThat(this.topics.history(customer.id()))
			.allSatisfy((choice) -> assertThat(choice.changedBy()).isEqualTo("customer"));
	}

}
