package org.ccm.campaigns;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.ResultActions;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The campaign API: what a client sends and gets back, and every kind of bad input
 * answered with a problem detail that names the field, with nothing stored.
 */
class CampaignApiTests extends CampaignIntegrationTest {

	final JsonMapper json = JsonMapper.builder().build();

	@Test
	void aCampaignIsCreatedLaunchedAndFollowedThroughTheApi() throws Exception {
		CampaignFixtures.Audience audience = this.fixtures.audience(3);
		String template = this.fixtures.template();
		String location = create(body(audience.segment(), template,
				"{\"perSecond\": 50, \"perChannel\": {\"EMAIL\": 20}}", "{\"kind\": \"NOW\"}", ""))
			.andExpect(status().isCreated())
			.andExpect(header().string("Location", startsWith("/api/v1/campaigns/")))
			.andExpect(jsonPath("$.state").value("DRAFT"))
			.andExpect(jsonPath("$.definition.throttle.perChannel.EMAIL").value(20))
			.andReturn()
			.getResponse()
			.getHeader("Location");
		UUID id = UUID.fromString(location.substring(location.lastIndexOf('/') + 1));
		this.mvc.perform(get(location)).andExpect(status().isOk()).andExpect(jsonPath("$.name").value("Autumn news"));
		this.mvc.perform(get("/api/v1/campaigns").param("size", "200"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.items[*].id", hasItem(id.toString())))
			.andExpect(jsonPath("$.size").value(200));
		this.mvc.perform(post(location + "/launch"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.state").value("RUNNING"))
			.andExpect(jsonPath("$.total").value(3))
			.andExpect(jsonPath("$.templateVersions[0]").value(1));
		finished(id);
		this.mvc.perform(get(location + "/progress"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.state").value("FINISHED"))
			.andExpect(jsonPath("$.total").value(3))
			.andExpect(jsonPath("$.sent").value(3))
			.andExpect(jsonPath("$.byStatus.SENT").value(3))
			.andExpect(jsonPath("$.byChannel.EMAIL.SENT").value(3));
		this.mvc.perform(get(location + "/results"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.funnels[0].channel").value("EMAIL"))
			.andExpect(jsonPath("$.funnels[0].sent").value(3));
	}

	@Test
	void anUnknownSegmentOrTemplateIsNamed() throws Exception {
		long before = campaignCount();
		create(body("no-such-segment", "no-such-template", "{\"perSecond\": 10}", "{\"kind\": \"NOW\"}", ""))
			.andExpect(status().isUnprocessableContent())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.errors[?(@.field == 'segment')].message").value("no segment 'no-such-segment'"))
			.andExpect(jsonPath("$.errors[?(@.field == 'template')].message")
				.value("template 'no-such-template' has no published version"));
		assertThat(campaignCount()).isEqualTo(before);
	}

	@Test
	void aChannelTheTemplateHasNoVersionForIsNamed() throws Exception {
		CampaignFixtures.Audience audience = this.fixtures.audience(1);
		String template = this.fixtures.template();
		long before = campaignCount();
		create(body(audience.segment(), template, "{\"perSecond\": 10, \"perChannel\": {\"PRINT\": 5}}",
				"{\"kind\": \"NOW\"}",
				", \"steps\": [{\"after\": \"PT1M\", \"unless\": \"OPENED\", \"channel\": \"PRINT\"}]"))
			.andExpect(status().isUnprocessableContent())
			.andExpect(jsonPath("$.errors[?(@.field == 'throttle.perChannel.PRINT')].message")
				.value("template '" + template + "' has no published version for PRINT"))
			.andExpect(jsonPath("$.errors[?(@.field == 'steps[0].channel')]").exists());
		assertThat(campaignCount()).isEqualTo(before);
	}

	@Test
	void aThrottleOfZeroIsRefused() throws Exception {
		CampaignFixtures.Audience audience = this.fixtures.audience(1);
		String template = this.fixtures.template();
		create(body(audience.segment(), template, "{\"perSecond\": 0}", "{\"kind\": \"NOW\"}", ""))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[0].field").value("throttle.perSecond"));
		create(body(audience.segment(), template, "{\"perSecond\": 10, \"perChannel\": {\"EMAIL\": 0}}",
				"{\"kind\": \"NOW\"}", ""))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[0].field", startsWith("throttle.perChannel")));
	}

	@Test
	void aScheduleInThePastIsRefused() throws Exception {
		CampaignFixtures.Audience audience = this.fixtures.audience(1);
		String template = this.fixtures.template();
		String past = Instant.now().minus(1, ChronoUnit.HOURS).toString();
		create(body(audience.segment(), template, "{\"perSecond\": 10}", "{\"kind\": \"AT\", \"at\": \"" + past + "\"}",
				""))
			.andExpect(status().isUnprocessableContent())
			.andExpect(jsonPath("$.errors[?(@.field == 'schedule.at')].message").value("is in the past"));
	}

	@Test
	void dataThatDoesNotFitTheTemplateIsNamed() throws Exception {
		CampaignFixtures.Audience audience = this.fixtures.audience(1);
		String template = this.fixtures.template();
		this.mvc
			.perform(post("/api/v1/campaigns").contentType(MediaType.APPLICATION_JSON)
				.content(body(audience.segment(), template, "{\"perSecond\": 10}", "{\"kind\": \"NOW\"}", "")
					.replace("\"season\": \"autumn\"", "\"season\": 7")))
			.andExpect(status().isUnprocessableContent())
			.andExpect(jsonPath("$.errors[0].field").value("data.season"));
	}

	@Test
	void aSecondLaunchAndActionsOnAFinishedCampaignConflict() throws Exception {
		CampaignFixtures.Audience audience = this.fixtures.audience(1);
		String template = this.fixtures.template();
		String location = create(body(audience.segment(), template, "{\"perSecond\": 10}", "{\"kind\": \"NOW\"}", ""))
			.andReturn()
			.getResponse()
			.getHeader("Location");
		UUID id = UUID.fromString(location.substring(location.lastIndexOf('/') + 1));
		this.mvc.perform(post(location + "/launch")).andExpect(status().isOk());
		this.mvc.perform(post(location + "/launch"))
			.andExpect(status().isConflict())
			.andExpect(jsonPath("$.errors[0].field").value("state"));
		finished(id);
		long recipients = recipientCount(id);
		for (String action : new String[] { "launch", "pause", "resume", "cancel", "release" }) {
			this.mvc.perform(post(location + "/" + action))
				.andExpect(status().isConflict())
				.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
				.andExpect(jsonPath("$.errors[0].field").value("state"))
				.andExpect(jsonPath("$.errors[0].message").value("is FINISHED"));
		}
		assertThat(recipientCount(id)).isEqualTo(recipients);
		this.mvc.perform(get("/api/v1/campaigns/" + UUID.randomUUID())).andExpect(status().isNotFound());
	}

	ResultActions create(String body) throws Exception {
		return this.mvc.perform(post("/api/v1/campaigns").contentType(MediaType.APPLICATION_JSON).content(body));
	}

	static String body(String segment, String template, String throttle, String schedule, String more) {
		return """
				{"name": "Autumn news", "segment": "%s", "template": "%s", "purpose": "MARKETING",
				 "data": {"season": "autumn"}, "schedule": %s, "throttle": %s%s}
				""".formatted(segment, template, schedule, throttle, more);
	}

	long campaignCount() {
		return this.jdbc.sql("SELECT count(*) FROM campaign").query(Long.class).single();
	}

	long recipientCount(UUID id) {
		return this.jdbc.sql("SELECT count(*) FROM campaign_recipient WHERE campaign_id = ?")
			.param(id)
			.query(Long.class)
			.single();
	}

	JsonNode read(String body) {
		return this.json.readTree(body);
	}

}
