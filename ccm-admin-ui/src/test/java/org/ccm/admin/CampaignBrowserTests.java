package org.ccm.admin;

import java.util.UUID;

import org.ccm.campaigns.Campaign;
import org.ccm.campaigns.CampaignState;
import org.ccm.campaigns.Campaigns;
import org.ccm.core.Customers;
import org.ccm.core.Purpose;
import org.ccm.core.Segments;
import org.ccm.core.testing.PostgresTestConfiguration;
import org.ccm.templates.TemplateAuthoring;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.test.context.EmbeddedKafka;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A campaign in a real browser: a marketer creates an A/B test from a segment (fixing the
 * form first, then the variants' shares), reviews what will be sent, launches it, watches
 * it progress, pauses and resumes it, and reads its results; an operator opens the
 * operations dashboard. Every page on the way is checked with axe-core and photographed
 * under {@code target/browser-screenshots}.
 */
@SpringBootTest(classes = AdminTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
				"ccm.tracking.base-url=https://ccm.example.com",
				"ccm.tracking.signing-secret=admin-test-signing-secret-0123456789abcdef" })
@Import({ PostgresTestConfiguration.class, StaffSecurity.class, Meters.class, BrowserStaff.class })
@EmbeddedKafka(partitions = 1)
class CampaignBrowserTests {

	@LocalServerPort
	int port;

	@Autowired
	Campaigns campaigns;

	@Autowired
	Customers customers;

	@Autowired
	Segments segments;

	@Autowired
	TemplateAuthoring authoring;

	@BeforeAll
	static void chromium() {
		Browser.assumeInstalled();
	}

	@Test
	void aMarketerCreatesLaunchesWatchesPausesResumesAndReadsTheResults() throws Exception {
		CampaignFixtures fixtures = new CampaignFixtures(this.customers, this.segments, this.authoring);
		CampaignFixtures.Audience audience = fixtures.audience(40, 0);
		String template = fixtures.template(Purpose.TRANSACTIONAL);
		int second = fixtures.approvedVariant(template);
		String name = "Winter notices " + UUID.randomUUID().toString().substring(0, 6);
		try (Browser browser = Browser.open("http://localhost:" + this.port, "campaign")) {
			browser.logIn("mia", BrowserStaff.PASSWORD);
			browser.go("/admin/campaigns");
			browser.assertAccessible("the campaign list");
			browser.screenshot("campaigns");
			browser.find("a[href='/admin/campaigns/new']").click();
			browser.waitFor("#campaign-form");

			// a form with problems comes back with the summary focused
			browser.find("#perSecond").clear();
			browser.find("#perSecond").sendKeys("fast");
			browser.find("#save").click();
			browser.waitFor(".error-summary");
			assertThat(browser.script("return document.activeElement.className")).isEqualTo("error-summary");
			assertThat(browser.find(".error-summary").getText()).contains("Enter a name for the campaign")
				.contains("Messages per second must be a whole number");
			browser.assertAccessible("the campaign form with problems");
			browser.screenshot("form-problems");

			browser.find("#name").sendKeys(name);
			new Select(browser.find("#segment")).selectByValue(audience.segment());
			browser.waitFor((d) -> browser.find("#audience").getText().contains("40 members"));
			new Select(browser.find("#template")).selectByValue(template);
			browser.find("input[name=purpose][value=TRANSACTIONAL]").click();
			browser.find("#perSecond").clear();
			browser.find("#perSecond").sendKeys("2");

			// two subject lines tried on the whole audience; shares that do not add up
			// come
			// back in the summary, linked to the variants
			browser.find("#variant-0-name").sendKeys("A");
			browser.find("#variant-0-version").sendKeys("1");
			browser.find("#variant-0-share").sendKeys("50");
			browser.find("#variant-1-name").sendKeys("B");
			browser.find("#variant-1-version").sendKeys("" + second);
			browser.find("#variant-1-share").sendKeys("40");
			browser.find("#testPercent").clear();
			browser.find("#testPercent").sendKeys("100");
			browser.find("#save").click();
			browser.waitFor(".error-summary");
			assertThat(browser.find(".error-summary").getText())
				.contains("The variants' shares must add up to 100 %; they add up to 90 %");
			browser.find(".error-summary a[href='#variants']").click();
			assertThat(browser.script("return document.activeElement.id")).isEqualTo("variants");
			browser.assertAccessible("the A/B test with problems");
			browser.screenshot("ab-problems");
			browser.find("#variant-1-share").clear();
			browser.find("#variant-1-share").sendKeys("50");
			browser.assertAccessible("the campaign form");
			browser.screenshot("form");
			browser.find("#save").click();

			browser.waitFor("#statement");
			assertThat(browser.find("#statement").getText())
				.isEqualTo("40 portal messages, starting as soon as it is launched, at most 2 per second.");
			assertThat(browser.find("#ab-test").getText()).startsWith("First an A/B test on 100 % of the recipients: "
					+ "variant A (template version 1) to 50 % of them and variant B");
			browser.assertAccessible("the review");
			browser.screenshot("review");
			browser.find("#launch").click();

			browser.waitFor("#progress-bar");
			browser.waitFor((d) -> Integer.parseInt(browser.find("#progress-bar").getAttribute("value")) > 0);
			assertThat(browser.find("#live").getAttribute("hx-trigger")).isEqualTo("every 2s, poll-now");
			browser.assertAccessible("the live campaign");
			browser.screenshot("running");

			// the live section is swapped every 2 s: click whichever button is there now
			browser.waitFor((d) -> {
				browser.find("#pause").click();
				return true;
			});
			browser.waitFor((d) -> browser.find("#state").getText().equals("Paused"));
			Campaign paused = this.campaigns.list(0, 50)
				.items()
				.stream()
				.filter((c) -> c.name().equals(name))
				.findFirst()
				.orElseThrow();
			assertThat(paused.state()).isEqualTo(CampaignState.PAUSED);
			browser.assertAccessible("the paused campaign");
			browser.screenshot("paused");
			browser.waitFor((d) -> {
				browser.find("#resume").click();
				return true;
			});

			// the page follows on its own until every recipient is settled, then stops
			browser.waitFor((d) -> browser.find("#state").getText().equals("Running"));
			browser.waitFor(java.time.Duration.ofSeconds(90),
					(d) -> browser.find("#state").getText().equals("Finished"));
			assertThat(browser.find("label[for=progress-bar]").getText()).startsWith("40 of 40 sent");
			assertThat(browser.find("#live").getAttribute("hx-trigger")).isNull();
			browser.screenshot("finished");

			browser.find("a[href$='/results']").click();
			browser.waitFor("#funnel");
			browser.waitFor("#timeline-chart .uplot");
			browser.waitFor("#stage-sent-chart .uplot");
			assertThat(browser.find("#funnel tbody tr").getText()).startsWith("All recipients 40");
			assertThat(browser.find("#stage-sent thead").getText()).contains("Step 1, variant A, PORTAL")
				.contains("Step 1, variant B, PORTAL");
			browser.assertAccessible("the results");
			browser.screenshot("results");
			browser.logOut();

			browser.logIn("otto", BrowserStaff.PASSWORD);
			browser.go("/admin/operations");
			browser.waitFor("#channels");
			browser.assertAccessible("the operations dashboard");
			browser.screenshot("operations");
		}
	}

}
