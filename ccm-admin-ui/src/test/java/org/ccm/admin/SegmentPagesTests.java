package org.ccm.admin;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.ccm.campaigns.CampaignRequest;
import org.ccm.campaigns.Campaigns;
import org.ccm.core.Customers;
import org.ccm.core.Purpose;
import org.ccm.core.Segment;
import org.ccm.core.Segments;
import org.ccm.templates.TemplateAuthoring;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The segment pages for each role: the list with where each segment is used, the rule
 * builder with its buttons, the live member count, saving new versions, and the messages
 * next to the fields, on the real segment service.
 */
@AdminIntegrationTest
class SegmentPagesTests {

	static final RequestPostProcessor MIA = user("mia").roles("MARKETER");

	static final RequestPostProcessor ADA = user("ada").roles("ADMIN");

	static final RequestPostProcessor OTTO = user("otto").roles("OPS");

	static final RequestPostProcessor ANN = user("ann").roles("APPROVER");

	static final RequestPostProcessor BRENDA = user("brenda").roles("BRAND");

	@Autowired
	MockMvc mvc;

	@Autowired
	Segments segments;

	@Autowired
	Customers customers;

	@Autowired
	TemplateAuthoring authoring;

	@Autowired
	Campaigns campaigns;

	CampaignFixtures fixtures;

	@BeforeEach
	void fixtures() {
		this.fixtures = new CampaignFixtures(this.customers, this.segments, this.authoring);
	}

	@Test
	void everyStaffMemberReadsSegmentsOnlyMarketersAndAdministratorsChangeThem() throws Exception {
		CampaignFixtures.Audience audience = this.fixtures.audience(3, 0);
		String campaign = "Notices for " + audience.town();
		this.campaigns.create(new CampaignRequest(campaign, audience.segment(),
				this.fixtures.template(Purpose.TRANSACTIONAL), Purpose.TRANSACTIONAL, null,
				new CampaignRequest.Schedule(CampaignRequest.ScheduleKind.NOW, null, null, null),
				new CampaignRequest.Throttle(50, null), null, null, null), "mia");

		for (RequestPostProcessor staff : List.of(MIA, ADA, OTTO, ANN, BRENDA)) {
			boolean editor = staff == MIA || staff == ADA;
			Document list = page(get("/admin/segments").with(staff), 200);
			assertThat(list.select("nav a[href='/admin/segments']")).hasSize(1);
			assertThat(list.select("#new-segment")).hasSize(editor ? 1 : 0);
			String row = list.select("#segments tr:has(a[href='/admin/segments/" + audience.segment() + "'])").text();
			assertThat(row).contains("People of " + audience.town()).contains(campaign + " (draft)");

			Document segment = page(get("/admin/segments/{key}", audience.segment()).with(staff), 200);
			assertThat(segment.select("#segment-form fieldset.card").hasAttr("disabled")).isEqualTo(!editor);
			assertThat(segment.select("#save")).hasSize(editor ? 1 : 0);
			assertThat(segment.select("button[name=action]")).hasSize(editor ? 2 : 0);
			assertThat(segment.select("select[name='rule.field'] option[selected]").text()).isEqualTo("city");
			assertThat(segment.select("input[name='rule.value']").val()).isEqualTo(audience.town());
			if (!editor) {
				// readers see the count at once; only staff who see customer records see
				// members
				assertThat(segment.select("#member-count").text()).isEqualTo("3 members");
				assertThat(segment.select("#sample tbody tr")).hasSize((staff == OTTO) ? 3 : 0);
				page(get("/admin/segments/new").with(staff), 403);
				page(post("/admin/segments").param("key", audience.segment())
					.param("name", "Taken over")
					.param("version", "0")
					.param("rule.type", "reachable")
					.param("rule.channel", "EMAIL")
					.with(staff)
					.with(csrf()), 403);
				page(post("/admin/segments/builder").param("rule.type", "and").with(staff).with(csrf()), 403);
			}
			else {
				assertThat(segment.select("#count").attr("hx-post")).isEqualTo("/admin/segments/count");
				page(get("/admin/segments/new").with(staff), 200);
			}
		}
		assertThat(this.segments.find(audience.segment()).orElseThrow().name())
			.isEqualTo("People of " + audience.town());
	}

	@Test
	void everyKindOfConditionAsksForItsOwnFieldsEachLabelledChosenOrTyped() throws Exception {
		Map<String, List<String>> expected = new java.util.LinkedHashMap<>();
		expected.put("attribute", List.of("select name Attribute", "select op Comparison", "input value Value"));
		expected.put("profile", List.of("select field Profile field", "select op Comparison", "input value Value"));
		expected.put("bought", List.of("input product Product", "input transactionType Transaction type",
				"input minCount Times bought", "input withinDays Within days"));
		expected.put("spend", List.of("select op Total spend", "input amount Amount", "input currency Currency",
				"input withinDays Within days"));
		expected.put("engaged",
				List.of("select interaction Interaction", "select channel Channel", "input withinDays Within days"));
		expected.put("consent", List.of("select channel Channel", "select purpose Purpose"));
		expected.put("reachable", List.of("select channel Channel"));
		for (Map.Entry<String, List<String>> kind : expected.entrySet()) {
			Document builder = page(post("/admin/segments/builder").param("rule.type", "and")
				.param("rule.rules[0].type", kind.getKey())
				.with(MIA)
				.with(csrf()), 200);
			List<String> fields = new java.util.ArrayList<>();
			for (var field : builder.select(".inline-controls select, .inline-controls input")) {
				String name = field.attr("name").substring("rule.rules[0].".length());
				fields
					.add(field.tagName() + " " + name + " " + builder.select("label[for='" + field.id() + "']").text());
				String hint = field.id() + "-hint";
				if (builder.getElementById(hint) != null) {
					assertThat(field.attr("aria-describedby")).as(field.id()).contains(hint);
				}
			}
			assertThat(fields).as(kind.getKey()).isEqualTo(kind.getValue());
		}
		Document engaged = page(post("/admin/segments/builder").param("rule.type", "and")
			.param("rule.rules[0].type", "engaged")
			.with(MIA)
			.with(csrf()), 200);
		assertThat(engaged.select("select[name='rule.rules[0].channel'] option").eachText()).first()
			.isEqualTo("Any channel");
		assertThat(engaged.select("#rule\\.rules\\[0\\]\\.withinDays-hint").text()).isEqualTo("Empty for ever");
	}

	@Test
	void theBuilderAddsGroupsNegatesAndRemovesConditions() throws Exception {
		Document added = page(post("/admin/segments/builder").param("rule.type", "and")
			.param("rule.rules[0].type", "reachable")
			.param("rule.rules[0].channel", "EMAIL")
			.param("action", "add:rule")
			.with(MIA)
			.with(csrf()), 200);
		assertThat(added.select("select[name='rule.rules[0].channel'] option[selected]").val()).isEqualTo("EMAIL");
		assertThat(added.select("select[name='rule.rules[1].type'] option[selected]").val()).isEqualTo("attribute");
		for (var field : added.select("#builder select, #builder input[type=text]")) {
			assertThat(added.select("label[for='" + field.id() + "']")).as(field.id()).hasSize(1);
		}

		Document grouped = page(post("/admin/segments/builder").param("rule.type", "and")
			.param("rule.rules[0].type", "reachable")
			.param("rule.rules[0].channel", "EMAIL")
			.param("action", "group:rule")
			.with(MIA)
			.with(csrf()), 200);
		assertThat(grouped.select("select[name='rule.rules[1].type'] option[selected]").val()).isEqualTo("or");
		assertThat(grouped.select("select[name='rule.rules[1].rules[0].type']")).hasSize(1);

		Document negated = page(post("/admin/segments/builder").param("rule.type", "and")
			.param("rule.rules[0].type", "reachable")
			.param("rule.rules[0].channel", "SMS")
			.param("action", "not:rule.rules[0]")
			.with(MIA)
			.with(csrf()), 200);
		assertThat(negated.select("input[name='rule.rules[0].type']").val()).isEqualTo("not");
		assertThat(negated.select("select[name='rule.rules[0].rule.channel'] option[selected]").val()).isEqualTo("SMS");

		Document removed = page(post("/admin/segments/builder").param("rule.type", "and")
			.param("rule.rules[0].type", "reachable")
			.param("rule.rules[0].channel", "SMS")
			.param("rule.rules[1].type", "consent")
			.param("rule.rules[1].channel", "EMAIL")
			.param("rule.rules[1].purpose", "MARKETING")
			.param("action", "remove:rule.rules[0]")
			.with(MIA)
			.with(csrf()), 200);
		assertThat(removed.select("select[name='rule.rules[0].type'] option[selected]").val()).isEqualTo("consent");
		assertThat(removed.select("select[name='rule.rules[1].type']")).isEmpty();
	}

	@Test
	void theMemberCountFollowsTheRuleAndSavingMakesNewVersions() throws Exception {
		CampaignFixtures.Audience audience = this.fixtures.audience(4, 1);
		// people of the town who may not be sent marketing email
		MockHttpServletRequestBuilder count = post("/admin/segments/count").param("rule.type", "and")
			.param("rule.rules[0].type", "profile")
			.param("rule.rules[0].field", "city")
			.param("rule.rules[0].op", "eq")
			.param("rule.rules[0].value", audience.town())
			.param("rule.rules[1].type", "not")
			.param("rule.rules[1].rule.type", "consent")
			.param("rule.rules[1].rule.channel", "EMAIL")
			.param("rule.rules[1].rule.purpose", "MARKETING");
		Document counted = page(count.with(MIA).with(csrf()), 200);
		assertThat(counted.select("#member-count").text()).isEqualTo("3 members");
		assertThat(counted.select("#sample tbody td:first-child").eachText()).containsExactly(audience.town() + "-1",
				audience.town() + "-2", audience.town() + "-3");
		// an approver counts but sees no customers
		Document approvers = page(count.with(ANN).with(csrf()), 200);
		assertThat(approvers.select("#member-count").text()).isEqualTo("3 members");
		assertThat(approvers.select("#sample")).isEmpty();

		String key = CampaignFixtures.unique("quiet");
		this.mvc
			.perform(post("/admin/segments").param("key", key)
				.param("name", "Quiet people")
				.param("rule.type", "and")
				.param("rule.rules[0].type", "profile")
				.param("rule.rules[0].field", "city")
				.param("rule.rules[0].op", "eq")
				.param("rule.rules[0].value", audience.town())
				.with(MIA)
				.with(csrf()))
			.andExpect(status().isFound())
			.andExpect(redirectedUrl("/admin/segments/" + key + "?saved"));
		Segment saved = this.segments.find(key).orElseThrow();
		assertThat(saved.version()).isZero();
		assertThat(this.segments.count(saved.rule())).isEqualTo(4);

		this.mvc
			.perform(post("/admin/segments").param("key", key)
				.param("name", "Quiet people, renamed")
				.param("version", "0")
				.param("rule.type", "reachable")
				.param("rule.channel", "EMAIL")
				.with(ADA)
				.with(csrf()))
			.andExpect(status().isFound());
		assertThat(this.segments.find(key).orElseThrow().version()).isEqualTo(1);
		Document shown = page(get("/admin/segments/{key}", key).param("saved", "").with(MIA), 200);
		assertThat(shown.select("[role=status]").text()).contains("saved as a new version");
		assertThat(shown.select("input[name=version]").val()).isEqualTo("1");

		// a save based on the version before is refused, naming the conflict
		Document stale = page(post("/admin/segments").param("key", key)
			.param("name", "Overwritten")
			.param("version", "0")
			.param("rule.type", "reachable")
			.param("rule.channel", "SMS")
			.with(MIA)
			.with(csrf()), 422);
		assertThat(stale.select(".error-summary a[href='#version']").text()).contains("Someone else saved");
		assertThat(stale.select("#version")).hasSize(1);
		assertThat(this.segments.find(key).orElseThrow().name()).isEqualTo("Quiet people, renamed");

		// a new segment cannot take an existing key
		Document taken = page(post("/admin/segments").param("key", key)
			.param("name", "Another")
			.param("rule.type", "reachable")
			.param("rule.channel", "SMS")
			.with(MIA)
			.with(csrf()), 422);
		assertThat(taken.select("#key-error").text()).contains("exists already");
	}

	@Test
	void badInputAndRuleLimitsAreNamedNextToTheirFieldsAndNothingIsSaved() throws Exception {
		String attribute = "seg_" + CampaignFixtures.unique("n").substring(2).replace('-', '_');
		this.mvc
			.perform(put("/api/v1/attributes/{name}", attribute).contentType(MediaType.APPLICATION_JSON)
				.content("{\"type\": \"NUMBER\"}")
				.with(ADA)
				.with(csrf()))
			.andExpect(status().is2xxSuccessful());
		String tooMany = IntStream.rangeClosed(1, 501).mapToObj(String::valueOf).collect(Collectors.joining(","));
		Document refused = page(post("/admin/segments").param("key", "Not A Key")
			.param("name", "")
			.param("rule.type", "and")
			.param("rule.rules[0].type", "attribute")
			.param("rule.rules[0].name", attribute)
			.param("rule.rules[0].op", "in")
			.param("rule.rules[0].value", tooMany)
			.param("rule.rules[1].type", "bought")
			.param("rule.rules[1].product", "SKU-1")
			.param("rule.rules[1].withinDays", "soon")
			.param("rule.rules[2].type", "spend")
			.param("rule.rules[2].op", "gt")
			.param("rule.rules[2].amount", "lots")
			.param("rule.rules[3].type", "attribute")
			.param("rule.rules[3].name", "no_such_attribute")
			.param("rule.rules[3].op", "eq")
			.param("rule.rules[3].value", "1")
			.with(MIA)
			.with(csrf()), 422);
		assertThat(refused.title()).startsWith("Error: ");
		List<String> summary = refused.select(".error-summary a").eachText();
		assertThat(summary).anyMatch((text) -> text.contains("Key must be 1 to 63 lower-case letters"))
			.anyMatch((text) -> text.contains("Name must be 1 to 200 characters"))
			.anyMatch((text) -> text.contains("Value has 501 values; at most 500 are allowed"))
			.anyMatch((text) -> text.equals("Enter a whole number, such as 90"))
			.anyMatch((text) -> text.contains("amount must be a number"))
			.anyMatch((text) -> text.contains("Attribute is not a declared attribute"));
		// every link of the summary leads to a field or condition that shows the message
		for (var link : refused.select(".error-summary a")) {
			String id = link.attr("href").substring(1);
			assertThat(refused.getElementById(id)).as(id).isNotNull();
		}
		assertThat(refused.getElementById("rule.rules[0].value-error").text()).contains("at most 500");
		assertThat(refused.getElementById("rule.rules[0].value").hasClass("invalid")).isTrue();
		assertThat(refused.getElementById("rule.rules[1].withinDays").val()).isEqualTo("soon");
		assertThat(this.segments.find("Not A Key")).isEmpty();

		// nesting beyond the limit is named at the condition that is too deep
		MockHttpServletRequestBuilder deep = post("/admin/segments").param("key", CampaignFixtures.unique("deep"))
			.param("name", "Deep");
		String path = "rule";
		for (int i = 0; i < 12; i++) {
			deep.param(path + ".type", "not");
			path += ".rule";
		}
		deep.param(path + ".type", "reachable").param(path + ".channel", "EMAIL");
		Document tooDeep = page(deep.with(MIA).with(csrf()), 422);
		String message = tooDeep.select(".error-summary a").first().attr("href").substring(1);
		assertThat(tooDeep.getElementById(message + "-error").text()).contains("nested too deeply");
	}

	private Document page(MockHttpServletRequestBuilder request, int status) throws Exception {
		MvcResult result = this.mvc.perform(request).andExpect(status().is(status)).andReturn();
		return Jsoup.parse(result.getResponse().getContentAsString());
	}

}
