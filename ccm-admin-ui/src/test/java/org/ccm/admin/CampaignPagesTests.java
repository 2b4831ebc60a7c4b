package org.ccm.admin;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.ccm.campaigns.Campaign;
import org.ccm.campaigns.CampaignRequest;
import org.ccm.campaigns.CampaignState;
import org.ccm.campaigns.Campaigns;
import org.ccm.core.Customers;
import org.ccm.core.Purpose;
import org.ccm.core.Segments;
import org.ccm.templates.DraftRequest;
import org.ccm.templates.TemplateContent;
import org.ccm.templates.TemplateAuthoring;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrlPattern;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The campaign pages for each role: the list and its filters, creating a campaign with
 * the task list and the review, the live page with its controls, and the CSV of those not
 * sent, on the real campaign engine.
 */
@AdminIntegrationTest
class CampaignPagesTests {

	static final RequestPostProcessor MIA = user("mia").roles("MARKETER");

	static final RequestPostProcessor OTTO = user("otto").roles("OPS");

	static final RequestPostProcessor ADA = user("ada").roles("ADMIN");

	static final RequestPostProcessor ANN = user("ann").roles("APPROVER");

	static final RequestPostProcessor BRENDA = user("brenda").roles("BRAND");

	@Autowired
	MockMvc mvc;

	@Autowired
	Campaigns campaigns;

	@Autowired
	Customers customers;

	@Autowired
	Segments segments;

	@Autowired
	TemplateAuthoring authoring;

	CampaignFixtures fixtures;

	@BeforeEach
	void fixtures() {
		this.fixtures = new CampaignFixtures(this.customers, this.segments, this.authoring);
	}

	@Test
	void marketersOperatorsAndAdministratorsSeeAndSteerCampaignsOthersGetForbidden() throws Exception {
		Campaign draft = draft(this.fixtures.audience(2, 0).segment(), this.fixtures.template(Purpose.TRANSACTIONAL),
				Purpose.TRANSACTIONAL,
				new CampaignRequest.Schedule(CampaignRequest.ScheduleKind.NOW, null, null, null));
		for (RequestPostProcessor allowed : List.of(MIA, OTTO, ADA)) {
			Document list = page(get("/admin/campaigns").with(allowed), 200);
			assertThat(list.select("nav a[href='/admin/campaigns']")).hasSize(1);
			Document form = page(get("/admin/campaigns/new").with(allowed), 200);
			assertThat(form.select("#variants input[name^=variant-]")).hasSize(12);
			assertThat(form.select("fieldset.step-row")).hasSize(3);
			page(get("/admin/campaigns/{id}", draft.id()).with(allowed), 200);
			page(get("/admin/campaigns/{id}/review", draft.id()).with(allowed), 200);
		}
		for (RequestPostProcessor refused : List.of(ANN, BRENDA)) {
			assertThat(page(get("/admin/campaigns").with(refused), 403).text())
				.contains("Only marketers and operators see and run campaigns.");
			assertThat(page(get("/admin").with(refused), 200).select("nav a[href='/admin/campaigns']")).isEmpty();
			page(get("/admin/campaigns/new").with(refused), 403);
			page(get("/admin/campaigns/{id}", draft.id()).with(refused), 403);
			page(get("/admin/campaigns/{id}/live", draft.id()).with(refused), 403);
			page(get("/admin/campaigns/{id}/unsent.csv", draft.id()).with(refused), 403);
			page(post("/admin/campaigns/{id}/launch", draft.id()).with(refused).with(csrf()), 403);
			page(post("/admin/campaigns/{id}/cancel", draft.id()).param("confirm", "yes").with(refused).with(csrf()),
					403);
		}
		assertThat(this.campaigns.find(draft.id()).orElseThrow().state()).isEqualTo(CampaignState.DRAFT);
		page(get("/admin/campaigns/{id}", UUID.randomUUID()).with(MIA), 404);
	}

	@Test
	void theAudienceShowsTheLiveMemberCountAndASample() throws Exception {
		CampaignFixtures.Audience audience = this.fixtures.audience(7, 0);
		Document fragment = page(get("/admin/campaigns/audience").param("segment", audience.segment()).with(MIA), 200);
		assertThat(fragment.select("#member-count").text()).isEqualTo("7 members");
		assertThat(fragment.select("#sample tbody tr")).hasSize(CampaignSetupPages.SAMPLE);
		assertThat(fragment.select("#sample").text()).contains(audience.town() + "-0");
	}

	@Test
	void theVersionsAnABTestMayUseAreListedWithTheirSubjectsForTheChosenTemplate() throws Exception {
		String template = this.fixtures.template(Purpose.MARKETING);
		int variant = this.fixtures.approvedVariant(template);
		TemplateContent draft = new TemplateContent(Map.of("default", "Draft"), Map.of("default", "Not yet approved"),
				Map.of(), false, List.of());
		this.authoring.createDraft(template, new DraftRequest(draft, "{\"type\": \"object\"}", Map.of()),
				CampaignFixtures.AUTHOR);

		Document fragment = page(get("/admin/campaigns/versions").param("template", template).with(MIA), 200);
		assertThat(fragment.select("#testable-versions tbody tr").eachText()).containsExactly(
				variant + " Approved {{customer.name}}, your notice is here",
				"1 Published {{customer.name}}, your annual notice");
		assertThat(page(get("/admin/campaigns/versions").param("template", "no-such").with(MIA), 200)
			.select("#testable-versions")).isEmpty();
		page(get("/admin/campaigns/versions").param("template", template).with(ANN), 403);

		// a form that comes back with problems keeps the list of the template it names
		Document form = page(post("/admin/campaigns").param("name", "")
			.param("template", template)
			.param("purpose", "MARKETING")
			.param("scheduleKind", "NOW")
			.param("perSecond", "50")
			.with(MIA)
			.with(csrf()), 422);
		assertThat(form.select("#testable-versions tbody tr")).hasSize(2);
		assertThat(form.select("#template").attr("hx-get")).isEqualTo("/admin/campaigns/versions");
	}

	@Test
	void badInputIsListedInAnErrorSummaryAndNothingIsCreated() throws Exception {
		long before = this.campaigns.list(0, 1).total();
		Document page = page(post("/admin/campaigns").param("name", "")
			.param("segment", "no-such-segment")
			.param("template", "")
			.param("purpose", "MARKETING")
			.param("scheduleKind", "AT")
			.param("at", "tomorrow morning")
			.param("perSecond", "fast")
			.param("data", "{not json")
			.with(MIA)
			.with(csrf()), 422);
		assertThat(page.title()).startsWith("Error: ");
		assertThat(page.select(".error-summary h2").text()).isEqualTo("There is a problem");
		assertThat(page.select(".error-summary a").eachAttr("href")).containsExactly("#name", "#template", "#data",
				"#at", "#perSecond");
		assertThat(page.select("#name-error").text()).contains("Enter a name for the campaign");
		assertThat(page.select("#at-error").text()).contains("Start time must be a date and time");
		assertThat(page.select("#perSecond").val()).isEqualTo("fast");
		assertThat(page.select(".task-list .task-incomplete")).isNotEmpty();

		// readable but wrong: the engine's own checks, by field, and still nothing stored
		String template = this.fixtures.template(Purpose.TRANSACTIONAL);
		Document wrong = page(post("/admin/campaigns").param("name", "Wrong")
			.param("segment", "no-such-segment")
			.param("template", template)
			.param("purpose", "TRANSACTIONAL")
			.param("scheduleKind", "AT")
			.param("at", "2020-01-01T09:00")
			.param("perSecond", "0")
			.with(MIA)
			.with(csrf()), 422);
		assertThat(wrong.select(".error-summary a").eachAttr("href")).contains("#segment", "#at", "#perSecond");
		assertThat(wrong.select("#segment-error").text()).contains("no segment 'no-such-segment'");
		assertThat(this.campaigns.list(0, 1).total()).isEqualTo(before);
	}

	@Test
	void anABTestWhoseSharesDoNotAddUpOrWhoseRowsAreIncompleteIsListedAndNothingIsCreated() throws Exception {
		long before = this.campaigns.list(0, 1).total();
		String template = this.fixtures.template(Purpose.TRANSACTIONAL);
		String segment = this.fixtures.audience(2, 0).segment();
		Document page = page(
				campaignForm("Subject lines", segment, template, Purpose.TRANSACTIONAL).param("variant-0-name", "A")
					.param("variant-0-version", "1")
					.param("variant-0-share", "50")
					.param("variant-1-name", "B")
					.param("variant-1-version", "1")
					.param("variant-1-share", "40")
					.param("variant-2-name", "C")
					.param("testPercent", "20")
					.param("winnerMetric", "OPENED")
					.param("winnerAfterHours", "soon")
					.param("step-0-channel", "EMAIL")
					.with(MIA)
					.with(csrf()),
				422);
		assertThat(page.select(".error-summary a").eachAttr("href")).containsExactly("#variant-2-version",
				"#variant-2-share", "#winnerAfterHours", "#step-0-after");
		assertThat(page.select("#variant-2-version-error").text())
			.contains("Enter the template version variant 3 sends");
		assertThat(page.select("#winnerAfterHours-error").text())
			.contains("Hours before the winner is chosen must be a whole number");
		assertThat(page.select("#step-0-after-error").text())
			.contains("Enter how many days after the step before follow-up 1 goes out");
		assertThat(page.select("#variant-1-share").val()).isEqualTo("40");
		assertThat(page.select("#step-0-channel option[selected]").val()).isEqualTo("EMAIL");
		assertThat(page.select(".task-list li").eachText())
			.anyMatch((t) -> t.startsWith("Try variants in an A/B test (optional)") && t.endsWith("Incomplete"))
			.anyMatch((t) -> t.startsWith("Add follow-up steps (optional)") && t.endsWith("Incomplete"));

		// every row readable: the shares must add up to 100, and the engine checks the
		// versions and refuses a pilot beside a test
		Document shares = page(
				campaignForm("Subject lines", segment, template, Purpose.TRANSACTIONAL).param("variant-0-name", "A")
					.param("variant-0-version", "1")
					.param("variant-0-share", "50")
					.param("variant-1-name", "B")
					.param("variant-1-version", "1")
					.param("variant-1-share", "40")
					.param("testPercent", "20")
					.param("winnerMetric", "OPENED")
					.param("winnerAfterHours", "24")
					.with(MIA)
					.with(csrf()),
				422);
		assertThat(shares.select(".error-summary a").eachAttr("href")).containsExactly("#variants");
		assertThat(shares.select("#variants-error").text())
			.contains("The variants' shares must add up to 100 %; they add up to 90 %");
		Document engine = page(
				campaignForm("Subject lines", segment, template, Purpose.TRANSACTIONAL).param("pilotPercent", "10")
					.param("variant-0-name", "A")
					.param("variant-0-version", "1")
					.param("variant-0-share", "50")
					.param("variant-1-name", "B")
					.param("variant-1-version", "7")
					.param("variant-1-share", "50")
					.param("testPercent", "20")
					.param("winnerMetric", "OPENED")
					.param("winnerAfterHours", "24")
					.with(MIA)
					.with(csrf()),
				422);
		assertThat(engine.select(".error-summary a").eachAttr("href")).containsExactly("#pilotPercent",
				"#variant-1-version");
		assertThat(engine.select("#variant-1-version-error").text())
			.isEqualTo("Error: Variant 2 template version: template '" + template + "' has no approved version 7");
		assertThat(engine.select("#pilotPercent-error").text()).contains("a pilot or an A/B test, not both");
		assertThat(this.campaigns.list(0, 1).total()).isEqualTo(before);
	}

	@Test
	void anABTestAndFollowUpStepsAreCreatedFromTheFormAndTheReviewSaysWhatTheyWillDo() throws Exception {
		String template = this.fixtures.template(Purpose.TRANSACTIONAL);
		int second = this.fixtures.approvedVariant(template);
		String reminder = this.fixtures.template(Purpose.TRANSACTIONAL);
		MvcResult created = this.mvc
			.perform(post("/admin/campaigns").param("name", "Subject lines")
				.param("segment", this.fixtures.audience(3, 0).segment())
				.param("template", template)
				.param("purpose", "TRANSACTIONAL")
				.param("scheduleKind", "NOW")
				.param("perSecond", "50")
				.param("variant-0-name", "Short")
				.param("variant-0-version", "1")
				.param("variant-0-share", "60")
				.param("variant-1-name", "Long")
				.param("variant-1-version", "" + second)
				.param("variant-1-share", "40")
				.param("testPercent", "20")
				.param("winnerMetric", "CLICKED")
				.param("winnerAfterHours", "6")
				.param("step-0-after", "3")
				.param("step-0-unless", "OPENED")
				.param("step-0-channel", "PORTAL")
				.param("step-0-template", reminder)
				.param("step-1-after", "7")
				.with(MIA)
				.with(csrf()))
			.andExpect(redirectedUrlPattern("/admin/campaigns/*/review"))
			.andReturn();
		UUID id = UUID.fromString(created.getResponse().getRedirectedUrl().split("/")[3]);
		CampaignRequest definition = this.campaigns.find(id).orElseThrow().definition();
		assertThat(definition.abTest().variants()).containsExactly(new CampaignRequest.Variant("Short", 1, 60),
				new CampaignRequest.Variant("Long", second, 40));
		assertThat(definition.abTest().testPercent()).isEqualTo(20);
		assertThat(definition.abTest().winner())
			.isEqualTo(new CampaignRequest.WinnerRule(CampaignRequest.Metric.CLICKED, Duration.ofHours(6)));
		assertThat(definition.steps())
			.containsExactly(
					new CampaignRequest.Step(Duration.ofDays(3), CampaignRequest.Metric.OPENED,
							org.ccm.core.Channel.PORTAL, reminder),
					new CampaignRequest.Step(Duration.ofDays(7), null, null, null));

		for (RequestPostProcessor allowed : List.of(MIA, OTTO, ADA)) {
			Document review = page(get("/admin/campaigns/{id}/review", id).with(allowed), 200);
			assertThat(review.select("#ab-test").text()).isEqualTo("First an A/B test on 20 % of the recipients: "
					+ "variant Short (template version 1) to 60 % of them and variant Long (template version " + second
					+ ") to 40 % of them. After 6 hours the variant with the best click rate goes to the other 80 %.");
			assertThat(review.select("#follow-ups li").eachText()).containsExactly(
					"3 days after the step before, to those who did not open it: a follow-up by portal with template "
							+ reminder + ".",
					"7 days after the step before, to everyone it was sent to: a follow-up on each customer's "
							+ "preferred channel with template " + template + ".");
			assertThat(review.select("#launch-heading + p + p").text()).startsWith("First an A/B test");
		}
		page(get("/admin/campaigns/{id}/review", id).with(ANN), 403);

		// a copy starts from the same variants and steps
		Document copy = page(get("/admin/campaigns/new").param("copy", id.toString()).with(MIA), 200);
		assertThat(copy.select("#variant-1-name").val()).isEqualTo("Long");
		assertThat(copy.select("#variant-1-share").val()).isEqualTo("40");
		assertThat(copy.select("#winnerMetric option[selected]").val()).isEqualTo("CLICKED");
		assertThat(copy.select("#step-0-after").val()).isEqualTo("3");
		assertThat(copy.select("#step-0-template option[selected]").val()).isEqualTo(reminder);
	}

	@Test
	void leavingOutUnresponsiveCustomersIsCheckedAndTheReviewSaysSo() throws Exception {
		CampaignFixtures.Audience audience = this.fixtures.audience(2, 0);
		String template = this.fixtures.template(Purpose.MARKETING);
		long before = this.campaigns.list(0, 1).total();
		for (String bad : List.of("three", "0", "101")) {
			Document page = page(campaignForm("Winback", audience.segment(), template, Purpose.MARKETING)
				.param("excludeUnresponsive", bad)
				.with(MIA)
				.with(csrf()), 422);
			assertThat(page.select(".error-summary a").eachAttr("href")).containsExactly("#excludeUnresponsive");
			assertThat(page.select("#excludeUnresponsive-error").text()).contains("Number of recent communications");
			assertThat(page.select("#excludeUnresponsive").val()).isEqualTo(bad);
		}
		assertThat(this.campaigns.list(0, 1).total()).isEqualTo(before);

		MvcResult created = this.mvc
			.perform(campaignForm("Winback", audience.segment(), template, Purpose.MARKETING)
				.param("excludeUnresponsive", "3")
				.with(MIA)
				.with(csrf()))
			.andExpect(redirectedUrlPattern("/admin/campaigns/*/review"))
			.andReturn();
		UUID id = UUID.fromString(created.getResponse().getRedirectedUrl().split("/")[3]);
		assertThat(this.campaigns.find(id).orElseThrow().definition().excludeUnresponsive()).isEqualTo(3);
		Document review = page(get("/admin/campaigns/{id}/review", id).with(MIA), 200);
		assertThat(review.select("#statement").text())
			.contains("Members who engaged with none of their last 3 communications are left out at launch");
	}

	@Test
	void aCampaignIsCreatedReviewedWithWhatWillHappenTestedAndLaunchedAndRunsToTheEnd() throws Exception {
		CampaignFixtures.Audience audience = this.fixtures.audience(3, 0);
		String template = this.fixtures.template(Purpose.TRANSACTIONAL);
		MvcResult created = this.mvc
			.perform(campaignForm("Annual notices", audience.segment(), template, Purpose.TRANSACTIONAL).with(MIA)
				.with(csrf()))
			.andExpect(status().is3xxRedirection())
			.andExpect(redirectedUrlPattern("/admin/campaigns/*/review"))
			.andReturn();
		UUID id = UUID.fromString(created.getResponse().getRedirectedUrl().split("/")[3]);
		assertThat(this.campaigns.find(id).orElseThrow().state()).isEqualTo(CampaignState.DRAFT);

		Document review = page(get("/admin/campaigns/{id}/review", id).with(MIA), 200);
		assertThat(review.select("#statement").text())
			.isEqualTo("3 portal messages, starting as soon as it is launched, at most 50 per second.");
		assertThat(review.select("#launch")).hasSize(1);
		assertThat(review.select(".task-list li").eachText())
			.anyMatch((t) -> t.contains("Send a test to yourself") && t.contains("Not started"));

		// a test to oneself goes through the normal send; an unknown customer is refused
		Document unknown = page(post("/admin/campaigns/{id}/test", id).param("customer", "nobody-" + UUID.randomUUID())
			.param("channel", "PORTAL")
			.with(MIA)
			.with(csrf()), 422);
		assertThat(unknown.select(".error-summary a").eachAttr("href")).containsExactly("#test-customer");
		this.mvc
			.perform(post("/admin/campaigns/{id}/test", id).param("customer", audience.members().get(0).externalId())
				.param("channel", "PORTAL")
				.with(MIA)
				.with(csrf()))
			.andExpect(redirectedUrl("/admin/campaigns/" + id + "/review"))
			.andExpect(flash().attribute("notice", org.hamcrest.Matchers.containsString("A test is on its way")));

		// launching needs the form's token
		this.mvc.perform(post("/admin/campaigns/{id}/launch", id).with(MIA)).andExpect(status().isForbidden());
		this.mvc.perform(post("/admin/campaigns/{id}/launch", id).with(MIA).with(csrf()))
			.andExpect(redirectedUrl("/admin/campaigns/" + id));
		assertThat(this.campaigns.find(id).orElseThrow().state()).isNotEqualTo(CampaignState.DRAFT);

		// while it runs the figures poll; once every recipient is settled they stop
		await().atMost(Duration.ofSeconds(90))
			.until(() -> this.campaigns.find(id).orElseThrow().state() == CampaignState.FINISHED);
		Document done = page(get("/admin/campaigns/{id}", id).with(OTTO), 200);
		assertThat(done.select("#live").attr("hx-trigger")).isEmpty();
		assertThat(done.select("#live").attr("hx-get")).isEmpty();
		assertThat(done.select("#state").text()).isEqualTo("Finished");
		assertThat(done.select("label[for=progress-bar]").text()).startsWith("3 of 3 sent");
		assertThat(done.select("#progress-bar").attr("value")).isEqualTo("3");
		assertThat(done.select("#by-channel tbody tr").text()).contains("PORTAL");
		assertThat(done.select("#eta").text()).isEqualTo("finished");
		assertThat(done.select("#unsent")).isEmpty();
		page(post("/admin/campaigns/{id}/launch", id).with(MIA).with(csrf()), 302);

		// results: the funnel, the same stages over time for the chart, CSV, comparison
		Document results = page(get("/admin/campaigns/{id}/results", id).with(MIA), 200);
		assertThat(results.select("#funnel tbody tr").first().text()).startsWith("Step 1, PORTAL 3");
		JsonNode chart = JsonMapper.builder().build().readTree(results.select("#timeline-chart").attr("data-chart"));
		assertThat(chart.get("x").size()).isPositive();
		assertThat(chart.get("series").get(0).get("label").asString()).isEqualTo("Sent");
		long charted = 0;
		for (JsonNode value : chart.get("series").get(0).get("values")) {
			charted += value.asLong();
		}
		assertThat(charted).isEqualTo(3);
		assertThat(results.select("script[src*=uPlot]").attr("src")).startsWith("/webjars/uplot/")
			.endsWith("/dist/uPlot.iife.min.js");
		assertThat(results.select("#machine-opens").text()).contains("counted apart")
			.contains("None has been recorded for this campaign.");
		assertThat(results.select("#funnel thead th").eachText()).endsWith("Machine opens", "Scanner clicks");
		assertThat(results.select("#stages")).as("one group: no chart per stage").isEmpty();
		this.mvc.perform(get("/webjars/uplot/dist/uPlot.iife.min.js").with(MIA)).andExpect(status().isOk());
		List<String> csv = this.mvc.perform(get("/admin/campaigns/{id}/results.csv", id).with(MIA))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString()
			.lines()
			.toList();
		assertThat(csv.get(0)).isEqualTo(
				"step,variant,channel,period,sent,delivered,opened,clicked,responded,machine_opens,scanner_clicks");
		assertThat(csv.get(1)).startsWith("1,,PORTAL,all,3,").endsWith(",0,0");
		assertThat(csv.get(2)).startsWith("1,,PORTAL,20");
		page(get("/admin/campaigns/{id}/results", id).with(ANN), 403);

		Campaign other = draft(audience.segment(), template, Purpose.TRANSACTIONAL,
				new CampaignRequest.Schedule(CampaignRequest.ScheduleKind.NOW, null, null, null));
		page(get("/admin/campaigns/compare").param("a", id.toString()).with(MIA), 422);
		Document compared = page(
				get("/admin/campaigns/compare").param("a", id.toString()).param("b", other.id().toString()).with(OTTO),
				200);
		assertThat(compared.select("#comparison thead th").eachText()).containsExactly("Stage", "Annual notices",
				other.name());
		assertThat(compared.select("#comparison tbody tr").first().text()).isEqualTo("Sent 3 0");
	}

	@Test
	void aScheduledCampaignIsPausedResumedAndCancelledAfterConfirmationAndItsUnsentAreDownloadable() throws Exception {
		CampaignFixtures.Audience audience = this.fixtures.audience(4, 0);
		Campaign campaign = draft(audience.segment(), this.fixtures.template(Purpose.TRANSACTIONAL),
				Purpose.TRANSACTIONAL, new CampaignRequest.Schedule(CampaignRequest.ScheduleKind.AT,
						Instant.now().plus(2, ChronoUnit.DAYS), null, null));
		UUID id = campaign.id();
		this.campaigns.launch(id);

		Document scheduled = page(get("/admin/campaigns/{id}", id).with(MIA), 200);
		assertThat(scheduled.select("#state").text()).isEqualTo("Scheduled");
		assertThat(scheduled.select("#live").attr("hx-trigger")).isEqualTo("every 2s, poll-now");
		assertThat(scheduled.select("#live").attr("data-poll")).isEqualTo("visible");
		assertThat(scheduled.select("#live").attr("hx-get")).isEqualTo("/admin/campaigns/" + id + "/live");
		assertThat(scheduled.select("form[action$=/pause] input[name=_csrf]")).hasSize(1);
		Document fragment = page(get("/admin/campaigns/{id}/live", id).with(MIA), 200);
		assertThat(fragment.select("section#live")).hasSize(1);
		assertThat(fragment.select("header")).isEmpty();

		this.mvc.perform(post("/admin/campaigns/{id}/pause", id).with(MIA)).andExpect(status().isForbidden());
		this.mvc.perform(post("/admin/campaigns/{id}/pause", id).with(MIA).with(csrf()))
			.andExpect(redirectedUrl("/admin/campaigns/" + id))
			.andExpect(flash().attribute("notice", "The campaign is paused."));
		assertThat(this.campaigns.find(id).orElseThrow().state()).isEqualTo(CampaignState.PAUSED);
		this.mvc.perform(post("/admin/campaigns/{id}/pause", id).with(MIA).with(csrf()))
			.andExpect(
					flash().attribute("problem", "Nothing changed: the campaign is paused and cannot be paused now."));
		assertThat(page(get("/admin/campaigns/{id}", id).with(MIA), 200).select("#resume")).hasSize(1);
		this.mvc.perform(post("/admin/campaigns/{id}/resume", id).with(OTTO).with(csrf()))
			.andExpect(flash().attribute("notice", "The campaign is resumed."));
		assertThat(this.campaigns.find(id).orElseThrow().state()).isEqualTo(CampaignState.SCHEDULED);

		// cancelling asks first; the form without the confirmation only leads there
		Document confirm = page(get("/admin/campaigns/{id}/cancel", id).with(MIA), 200);
		assertThat(confirm.text()).contains("A cancelled campaign cannot be resumed.");
		assertThat(confirm.select("form[action$=/cancel] input[name=confirm]").val()).isEqualTo("yes");
		this.mvc.perform(post("/admin/campaigns/{id}/cancel", id).with(MIA).with(csrf()))
			.andExpect(redirectedUrl("/admin/campaigns/" + id + "/cancel"));
		assertThat(this.campaigns.find(id).orElseThrow().state()).isEqualTo(CampaignState.SCHEDULED);
		this.mvc.perform(post("/admin/campaigns/{id}/cancel", id).param("confirm", "yes").with(MIA).with(csrf()))
			.andExpect(flash().attribute("notice", "The campaign is cancelled."));
		assertThat(this.campaigns.find(id).orElseThrow().state()).isEqualTo(CampaignState.CANCELLED);

		Document cancelled = page(get("/admin/campaigns/{id}", id).with(MIA), 200);
		assertThat(cancelled.select("#unsent h2").text()).isEqualTo("4 not sent");
		assertThat(cancelled.select("#unsent tbody").text()).contains("the campaign was cancelled");
		assertThat(cancelled.select("#live").attr("hx-trigger")).isEmpty();
		assertThat(cancelled.select("#pause, #resume, #cancel")).isEmpty();

		MvcResult csv = this.mvc.perform(get("/admin/campaigns/{id}/unsent.csv", id).with(MIA))
			.andExpect(status().isOk())
			.andReturn();
		assertThat(csv.getResponse().getContentType()).startsWith("text/csv");
		List<String> lines = csv.getResponse().getContentAsString().lines().toList();
		assertThat(lines).hasSize(5);
		assertThat(lines.get(0)).isEqualTo("step,customer,channel,status,reason");
		assertThat(lines.subList(1, 5)).allMatch((line) -> line.startsWith("1," + audience.town() + "-")
				&& line.endsWith(",PORTAL,CANCELLED,the campaign was cancelled"));

		// the list filtered by state and by date
		Document list = page(get("/admin/campaigns").param("state", "CANCELLED").with(MIA), 200);
		assertThat(list.select("#campaigns a[href='/admin/campaigns/" + id + "']")).hasSize(1);
		assertThat(list.select("#campaigns .badge").eachText()).containsOnly("Cancelled");
		Document future = page(get("/admin/campaigns").param("from", "2999-01-01").with(MIA), 200);
		assertThat(future.select("#campaigns")).isEmpty();
		assertThat(future.text()).contains("No campaigns match.");
		Document bad = page(get("/admin/campaigns").param("from", "yesterday").param("to", "2020-13-45").with(MIA),
				422);
		assertThat(bad.select(".error-summary a").eachAttr("href")).containsExactly("#from", "#to");
	}

	@Test
	void theReviewEstimatesMessagesPerChannelFromConsent() throws Exception {
		CampaignFixtures.Audience audience = this.fixtures.audience(5, 3);
		Campaign campaign = draft(audience.segment(), this.fixtures.template(Purpose.MARKETING), Purpose.MARKETING,
				new CampaignRequest.Schedule(CampaignRequest.ScheduleKind.LOCAL_WINDOW, null,
						java.time.LocalTime.of(9, 0), java.time.LocalTime.of(17, 0)));
		Document review = page(get("/admin/campaigns/{id}/review", campaign.id()).with(MIA), 200);
		assertThat(review.select("#statement").text()).isEqualTo(
				"3 emails, starting at 09:00 in each customer's time zone and sent only until 17:00, at most 50 per second.");
		assertThat(review.select("#unreached").text()).startsWith("2 members cannot be reached today");
	}

	@Test
	void theHeldShareOfAPilotIsReleasedFromTheLivePage() throws Exception {
		CampaignFixtures.Audience audience = this.fixtures.audience(4, 0);
		Campaign campaign = this.campaigns.create(
				new CampaignRequest("Pilot " + audience.segment(), audience.segment(),
						this.fixtures.template(Purpose.TRANSACTIONAL), Purpose.TRANSACTIONAL, null,
						new CampaignRequest.Schedule(CampaignRequest.ScheduleKind.NOW, null, null, null),
						new CampaignRequest.Throttle(50, null), new CampaignRequest.Pilot(25, null, null), null, null),
				"mia");
		this.campaigns.launch(campaign.id());
		Document live = page(get("/admin/campaigns/{id}", campaign.id()).with(MIA), 200);
		assertThat(live.select("#release").text()).isEqualTo("Send the held share now");
		assertThat(live.select("#by-status").text()).contains("Held back (pilot or A/B rest) 3");
		this.mvc.perform(post("/admin/campaigns/{id}/release", campaign.id()).with(MIA).with(csrf()))
			.andExpect(flash().attribute("notice", "The held share is being sent."));
		assertThat(this.campaigns.find(campaign.id()).orElseThrow().releasedAt()).isNotNull();
		assertThat(page(get("/admin/campaigns/{id}", campaign.id()).with(MIA), 200).select("#release")).isEmpty();
		page(post("/admin/campaigns/{id}/release", campaign.id()).with(ANN).with(csrf()), 403);
	}

	private Campaign draft(String segment, String template, Purpose purpose, CampaignRequest.Schedule schedule) {
		return this.campaigns.create(new CampaignRequest("Notices " + segment, segment, template, purpose, null,
				schedule, new CampaignRequest.Throttle(50, null), null, null, null), "mia");
	}

	private Document page(MockHttpServletRequestBuilder request, int status) throws Exception {
		MvcResult result = this.mvc.perform(request).andExpect(status().is(status)).andReturn();
		return Jsoup.parse(result.getResponse().getContentAsString());
	}

	/** The campaign form with what every campaign needs, sent now at 50 a second. */
	static MockHttpServletRequestBuilder campaignForm(String name, String segment, String template, Purpose purpose) {
		return post("/admin/campaigns").param("name", name)
			.param("segment", segment)
			.param("template", template)
			.param("purpose", purpose.name())
			.param("scheduleKind", "NOW")
			.param("perSecond", "50");
	}

}
