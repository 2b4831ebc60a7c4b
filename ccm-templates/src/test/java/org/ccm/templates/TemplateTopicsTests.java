package org.ccm.templates;

import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.ccm.core.Channel;
import org.ccm.core.Purpose;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.ccm.templates.GovernanceTests.BOB;
import static org.ccm.templates.GovernanceTests.BRENDA;
import static org.ccm.templates.GovernanceTests.MIA;
import static org.ccm.templates.TemplateApiTests.user;

@TemplatesTest
class TemplateTopicsTests {

	@Autowired
	TemplateAuthoring authoring;

	@Autowired
	Templates templates;

	@Autowired
	MockMvcTester mvc;

	@Test
	void aMarketingTemplateNamesATopicThatSendersSeeOncePublished() {
		String key = key();
		TemplateDefinition created = this.authoring.create(new NewTemplate(key, "Monthly news", Purpose.MARKETING,
				Set.of(Channel.EMAIL), "invoice", List.of(), "newsletter"), BRENDA);
		assertThat(created.topic()).isEqualTo("newsletter");
		assertThat(this.authoring.template(key).topic()).isEqualTo("newsletter");
		assertThat(this.authoring.publishedTopics()).doesNotContain(key);
		publish(key);
		assertThat(this.templates.findPublished(key))
			.hasValueSatisfying((s) -> assertThat(s.topic()).isEqualTo("newsletter"));
		assertThat(this.authoring.publishedTopics()).contains("newsletter");

		// changed later, it applies to the published version at once
		this.authoring.changeTopic(key, "product-news", BRENDA);
		assertThat(this.templates.findPublished(key))
			.hasValueSatisfying((s) -> assertThat(s.topic()).isEqualTo("product-news"));
		this.authoring.changeTopic(key, " ", BRENDA);
		assertThat(this.templates.findPublished(key)).hasValueSatisfying((s) -> assertThat(s.topic()).isNull());
	}

	@Test
	void anUnknownTopicATransactionalTemplateWithATopicOrAMarketerChangingItIsRefused() {
		assertThatExceptionOfType(InvalidTemplateContentException.class)
			.isThrownBy(() -> this.authoring.create(new NewTemplate(key(), "News", Purpose.MARKETING,
					Set.of(Channel.EMAIL), "invoice", List.of(), "gardening"), BRENDA))
			.satisfies((ex) -> assertThat(ex.problems()).extracting(DataViolation::field).containsExactly("topic"));
		assertThatExceptionOfType(InvalidTemplateContentException.class)
			.isThrownBy(() -> this.authoring.create(new NewTemplate(key(), "Invoice", Purpose.TRANSACTIONAL,
					Set.of(Channel.EMAIL), "invoice", List.of(), "newsletter"), BRENDA))
			.withMessageContaining("only marketing templates");
		String key = key();
		this.authoring.create(
				new NewTemplate(key, "News", Purpose.MARKETING, Set.of(Channel.EMAIL), "invoice", List.of()), BRENDA);
		assertThatExceptionOfType(GovernanceException.class)
			.isThrownBy(() -> this.authoring.changeTopic(key, "newsletter", MIA))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(GovernanceException.Reason.FORBIDDEN));
		assertThat(this.authoring.template(key).topic()).isNull();
	}

	@Test
	void theApiSetsTheTopicAndStillTakesTemplatesWithout() {
		String key = key();
		// a request without a topic, as before
		assertThat(this.mvc.post()
			.uri("/api/v1/templates")
			.with(user("brenda", "BRAND"))
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"key\": \"" + key + "\", \"name\": \"News\", \"purpose\": \"MARKETING\","
					+ " \"channels\": [\"EMAIL\"], \"layout\": \"invoice\", \"requiredClauses\": []}"))
			.hasStatus(201)
			.bodyJson()
			.extractingPath("$.topic")
			.isNull();
		assertThat(this.mvc.put()
			.uri("/api/v1/templates/" + key + "/topic")
			.with(user("brenda", "BRAND"))
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"topic\": \"gardening\"}")).hasStatus(422)
			.bodyJson()
			.extractingPath("$.errors[0].field")
			.isEqualTo("topic");
		assertThat(this.mvc.put()
			.uri("/api/v1/templates/" + key + "/topic")
			.with(user("mia"))
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"topic\": \"newsletter\"}")).hasStatus(403);
		assertThat(this.mvc.put()
			.uri("/api/v1/templates/" + key + "/topic")
			.with(user("brenda", "BRAND"))
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"topic\": \"newsletter\"}")).hasStatusOk()
			.bodyJson()
			.extractingPath("$.topic")
			.isEqualTo("newsletter");
		assertThat(this.mvc.get().uri("/api/v1/templates/" + key)).hasStatusOk()
			.bodyJson()
			.extractingPath("$.template.topic")
			.isEqualTo("newsletter");
		String other = key();
		assertThat(this.mvc.post()
			.uri("/api/v1/templates")
			.with(user("brenda", "BRAND"))
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"key\": \"" + other + "\", \"name\": \"News\", \"purpose\": \"MARKETING\","
					+ " \"channels\": [\"EMAIL\"], \"layout\": \"invoice\", \"topic\": \"product-news\"}"))
			.hasStatus(201)
			.bodyJson()
			.extractingPath("$.topic")
			.isEqualTo("product-news");
	}

	private void publish(String key) {
		TemplateVersion invoice = this.authoring.version("invoice", 1);
		this.authoring.createDraft(key, new DraftRequest(invoice.content(), invoice.dataSchema(), invoice.sampleData()),
				BRENDA);
		this.authoring.submit(key, 1, BRENDA, null);
		this.authoring.approve(key, 1, BOB, null);
		this.authoring.publish(key, 1, BOB, null);
	}

	private static String key() {
		return "topic-" + UUID.randomUUID().toString().substring(0, 8);
	}

}
