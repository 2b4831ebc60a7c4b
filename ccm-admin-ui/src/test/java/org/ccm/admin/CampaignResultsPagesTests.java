package org.ccm.admin;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.ccm.campaigns.Campaign;
import org.ccm.campaigns.CampaignRequest;
import org.ccm.campaigns.CampaignState;
import org.ccm.campaigns.Campaigns;
import org.ccm.core.Customers;
import org.ccm.core.Purpose;
import org.ccm.core.Segments;
import org.ccm.delivery.CommunicationView;
import org.ccm.delivery.Communications;
import org.ccm.delivery.spi.MessageTracking;
import org.ccm.delivery.spi.TrackedMessage;
import org.ccm.templates.TemplateAuthoring;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * A/B campaign results: machine opens and scanner clicks recorded by tracking through the
 * real pixel and redirect are shown beside people's figures per step, variant and channel
 * and in the CSV, and each stage is charted per variant and channel with a table of the
 * same figures.
 */
@AdminIntegrationTest
class CampaignResultsPagesTests {

	static final String SAFARI = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 "
			+ "(KHTML, like Gecko) Version/17.1 Safari/605.1.15";

	/** Apple's Mail Privacy Protection fetches images from its own addresses. */
	static final String APPLE_PROXY = "17.58.63.10";

	@Autowired
	MockMvc mvc;

	@Autowired
	Campaigns campaigns;

	@Autowired
	Communications communications;

	@Autowired
	MessageTracking tracking;

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
	void machineOpensAndScannerClicksAreShownApartPerVariantAndChannelAndEachStageIsChartedPerGroup() throws Exception {
		CampaignFixtures.Audience audience = this.fixtures.audience(4, 0);
		String template = this.fixtures.template(Purpose.TRANSACTIONAL);
		int second = this.fixtures.approvedVariant(template);
		Campaign campaign = this.campaigns.create(new CampaignRequest("Subject test " + template, audience.segment(),
				template, Purpose.TRANSACTIONAL, null,
				new CampaignRequest.Schedule(CampaignRequest.ScheduleKind.NOW, null, null, null),
				new CampaignRequest.Throttle(50, null), null,
				new CampaignRequest.AbTest(
						List.of(new CampaignRequest.Variant("A", 1, 50), new CampaignRequest.Variant("B", second, 50)),
						100, new CampaignRequest.WinnerRule(CampaignRequest.Metric.OPENED, Duration.ofHours(1))),
				null), "mia");
		this.campaigns.launch(campaign.id());
		await().atMost(Duration.ofSeconds(90))
			.until(() -> this.campaigns.find(campaign.id()).orElseThrow().state() == CampaignState.FINISHED);

		// one recipient's message: prefetched twice by Apple's proxy, its link followed
		// by
		// a scanner, then opened by the person
		CommunicationView sent = await()
			.until(() -> this.communications.recent(200)
				.stream()
				.filter((c) -> c.template().equals(template)
						&& c.customerExternalId().equals(audience.members().get(0).externalId()))
				.findFirst(), java.util.Optional::isPresent)
			.orElseThrow();
		String html = this.tracking.instrumentHtml("<p><a href=\"https://example.com/offer\">Offer</a></p>",
				new TrackedMessage(sent.id(), sent.deliveries().get(0).id(), sent.customerId()));
		String pixel = path(html, "src=\"([^\"]+\\.gif)\"");
		String link = path(html, "href=\"([^\"]+)\"");
		hit(pixel, "Mozilla/5.0", APPLE_PROXY, 200);
		hit(pixel, "Mozilla/5.0", APPLE_PROXY, 200);
		hit(link, "Mozilla/5.0 (compatible; Proofpoint URL Defense)", "203.0.113.9", 302);
		hit(pixel, SAFARI, "203.0.113.5", 200);

		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			Document results = page(get("/admin/campaigns/{id}/results", campaign.id()).with(CampaignPagesTests.MIA));
			List<String> rows = results.select("#funnel tbody tr").eachText();
			assertThat(rows).contains("All recipients 4 1 (25.0 %) 1 (25.0 %) 0 (0.0 %) 0 (0.0 %) 2 1");
			assertThat(rows).filteredOn((row) -> row.startsWith("Step 1, variant ")).hasSize(2);
			assertThat(rows).filteredOn((row) -> row.startsWith("Step 1, variant ") && row.endsWith(" 2 1"))
				.singleElement()
				.asString()
				.contains(" 1 (50.0 %) 1 (50.0 %) ");
			assertThat(rows).filteredOn((row) -> row.startsWith("Step 1, variant ") && row.endsWith(" 0 0")).hasSize(1);
		});
		Document results = page(get("/admin/campaigns/{id}/results", campaign.id()).with(CampaignPagesTests.OTTO));
		assertThat(results.select("#machine-opens").text()).contains("Machine opens")
			.contains("Scanner clicks")
			.doesNotContain("None has been recorded");

		// a chart per stage, a series per variant, and a table of the same figures under
		// each
		assertThat(results.select("#stages figure[data-chart]")).hasSize(5);
		assertThat(results.select("#stages figcaption").eachText()).first().asString().startsWith("Sent:");
		Element sentTable = results.selectFirst("table#stage-sent");
		assertThat(sentTable.select("thead th").eachText()).containsExactly("From (UTC)", "Step 1, variant A, PORTAL",
				"Step 1, variant B, PORTAL");
		long tabled = 0;
		for (Element cell : sentTable.select("tbody td.num")) {
			tabled += Long.parseLong(cell.text());
		}
		assertThat(tabled).isEqualTo(4);
		JsonNode chart = JsonMapper.builder()
			.build()
			.readTree(results.select("#stage-opened-chart").attr("data-chart"));
		List<String> labels = new ArrayList<>();
		long opened = 0;
		for (JsonNode series : chart.get("series")) {
			labels.add(series.get("label").asString());
			for (JsonNode value : series.get("values")) {
				opened += value.asLong();
			}
		}
		assertThat(labels).containsExactly("Step 1, variant A, PORTAL", "Step 1, variant B, PORTAL");
		assertThat(opened).as("people's opens only").isEqualTo(1);

		List<String> csv = this.mvc
			.perform(get("/admin/campaigns/{id}/results.csv", campaign.id()).with(CampaignPagesTests.ADA))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString()
			.lines()
			.toList();
		assertThat(csv.get(0)).endsWith(",machine_opens,scanner_clicks");
		assertThat(csv).filteredOn((line) -> line.contains(",all,")).hasSize(2);
		assertThat(csv).filteredOn((line) -> line.contains(",all,") && line.endsWith(",2,1"))
			.singleElement()
			.asString()
			.startsWith("1,");
		assertThat(csv).anyMatch((line) -> line.startsWith("1,A,PORTAL,20"))
			.anyMatch((line) -> line.startsWith("1,B,PORTAL,20"));

		this.mvc.perform(get("/admin/campaigns/{id}/results", campaign.id()).with(CampaignPagesTests.ANN))
			.andExpect(status().isForbidden());
		this.mvc.perform(get("/admin/campaigns/{id}/results.csv", campaign.id()).with(CampaignPagesTests.BRENDA))
			.andExpect(status().isForbidden());
	}

	private static String path(String html, String pattern) {
		Matcher matcher = Pattern.compile(pattern).matcher(html);
		assertThat(matcher.find()).as(pattern + " in " + html).isTrue();
		return matcher.group(1).replace("&amp;", "&").replaceFirst("^https://ccm\\.example\\.com", "");
	}

	private void hit(String path, String userAgent, String address, int status) throws Exception {
		this.mvc.perform(get(java.net.URI.create(path)).header(HttpHeaders.USER_AGENT, userAgent).with((request) -> {
			request.setRemoteAddr(address);
			return request;
		})).andExpect(status().is(status));
	}

	private Document page(MockHttpServletRequestBuilder request) throws Exception {
		MvcResult result = this.mvc.perform(request).andExpect(status().isOk()).andReturn();
		return Jsoup.parse(result.getResponse().getContentAsString());
	}

}
