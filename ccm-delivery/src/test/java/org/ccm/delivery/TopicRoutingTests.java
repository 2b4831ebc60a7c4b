package org.ccm.delivery;

import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.ccm.core.Channel;
import org.ccm.core.ConsentChange;
import org.ccm.core.CustomerProfile;
import org.ccm.core.InteractionType;
import org.ccm.core.Purpose;
import org.ccm.core.QuietHours;
import org.ccm.core.Timeline;
import org.ccm.templates.Actor;
import org.ccm.templates.DraftRequest;
import org.ccm.templates.NewTemplate;
import org.ccm.templates.TemplateAuthoring;
import org.ccm.templates.TemplateVersion;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Marketing about a topic, through the whole pipeline with the real templates module:
 * accepted over the API, routed from Kafka, composed and sent by email.
 */
class TopicRoutingTests extends DeliveryIntegrationTest {

	static final Actor BRENDA = new Actor("brenda", Set.of(Actor.BRAND));

	static final Actor BOB = new Actor("bob", Set.of(Actor.APPROVER));

	@Autowired
	TemplateAuthoring authoring;

	@Autowired
	Timeline timeline;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	JsonMapper json;

	@Override
	boolean standInTemplates() {
		return false;
	}

	@Test
	void marketingAboutATopicTheCustomerOptedOutOfIsNotSentAndSaysWhy() throws Exception {
		String template = publishedMarketingTemplate("newsletter");
		CustomerProfile customer = marketingCustomer(unique("opted-out"));
		customers.changePreferences(customer.id(), List.of(), customer.quietHours(), null, List.of(),
				Map.of("newsletter", true), "customer");

		CommunicationView view = settled(sendMarketing(customer, template));

		assertThat(view.deliveries()).extracting(DeliveryView::status).containsOnly(DeliveryStatus.SUPPRESSED);
		assertThat(on(view, Channel.EMAIL).failureReason()).isEqualTo("the customer opted out of the topic newsletter");
		assertThat(view.status()).isEqualTo(CommunicationStatus.UNDELIVERED);
		assertThat(ChannelDeliveryTests.receivedBy(customer.email().value())).isEmpty();
		assertThat(this.timeline.page(customer.id(), null, 20).entries())
			.anySatisfy((entry) -> assertThat(entry.type()).isEqualTo(InteractionType.SUPPRESSED));

		// another topic of the same customer still reaches them
		String news = publishedMarketingTemplate("product-news");
		CommunicationView other = settled(sendMarketing(customer, news));
		assertThat(on(other, Channel.EMAIL).status()).isEqualTo(DeliveryStatus.SENT);
	}

	@Test
	void aMandatoryTopicIsSentWhateverTheCustomerChoseBefore() throws Exception {
		String template = publishedMarketingTemplate("service-notices");
		CustomerProfile customer = marketingCustomer(unique("mandatory"));
		// an opt-out recorded before the topic was made mandatory: the preference centre
		// no longer accepts one
		this.jdbc.sql("""
				INSERT INTO topic_choice_event (customer_id, topic, opted_out, source, changed_by, recorded_at)
				VALUES (?, 'service-notices', TRUE, 'preference centre', 'customer', now())
				""").param(customer.id()).update();

		CommunicationView view = settled(sendMarketing(customer, template));

		assertThat(on(view, Channel.EMAIL).status()).isEqualTo(DeliveryStatus.SENT);
		assertThat(ChannelDeliveryTests.receivedBy(customer.email().value())).hasSize(1);
	}

	private UUID sendMarketing(CustomerProfile customer, String template) throws Exception {
		String body = invoice(customer.externalId(), "NEWS-" + template, null).replace(
				"\"template\": \"invoice\", \"purpose\": \"TRANSACTIONAL\"",
				"\"template\": \"" + template + "\", \"purpose\": \"MARKETING\"");
		String answer = send(unique("key"), body).andExpect(status().isAccepted())
			.andReturn()
			.getResponse()
			.getContentAsString();
		return UUID.fromString(this.json.readTree(answer).path("id").asString());
	}

	/**
	 * A customer who agreed to marketing by email, with quiet hours far from now so
	 * nothing is deferred.
	 */
	private CustomerProfile marketingCustomer(String externalId) {
		LocalTime now = LocalTime.now(ZoneId.of("Europe/London"));
		return customer(externalId, Map.of(Purpose.MARKETING, List.of(Channel.EMAIL)),
				externalId.toLowerCase(java.util.Locale.ROOT) + "@example.com", null,
				new QuietHours(now.plusHours(6), now.plusHours(7)),
				List.of(new ConsentChange(Channel.EMAIL, Purpose.MARKETING, true, "web form")));
	}

	private String publishedMarketingTemplate(String topic) {
		String key = unique("topic");
		TemplateVersion invoice = this.authoring.version("invoice", 1);
		this.authoring.create(new NewTemplate(key, "About " + topic, Purpose.MARKETING, Set.of(Channel.EMAIL),
				"invoice", List.of(), topic), BRENDA);
		this.authoring.createDraft(key, new DraftRequest(invoice.content(), invoice.dataSchema(), invoice.sampleData()),
				BRENDA);
		this.authoring.submit(key, 1, BRENDA, null);
		this.authoring.approve(key, 1, BOB, null);
		this.authoring.publish(key, 1, BOB, null);
		return key;
	}

}
