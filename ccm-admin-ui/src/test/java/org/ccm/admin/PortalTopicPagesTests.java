package org.ccm.admin;

import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.ccm.core.Channel;
import org.ccm.core.CustomerDetails;
import org.ccm.core.CustomerProfile;
import org.ccm.core.Customers;
import org.ccm.core.InteractionType;
import org.ccm.core.Purpose;
import org.ccm.core.Segments;
import org.ccm.core.Timeline;
import org.ccm.core.Topics;
import org.ccm.templates.TemplateAuthoring;
import org.ccm.tracking.PortalLinks;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The preference centre's topic rows: one per topic a published template names, in the
 * customer's language, mandatory ones locked.
 */
@AdminIntegrationTest
class PortalTopicPagesTests {

	@Autowired
	MockMvc mvc;

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

	@Autowired
	Timeline timeline;

	String newsletter;

	@BeforeEach
	void publishedTemplatesNameTopics() {
		CampaignFixtures fixtures = new CampaignFixtures(this.customers, this.segments, this.authoring);
		this.newsletter = fixtures.template(Purpose.MARKETING, Set.of(Channel.EMAIL), "newsletter");
		fixtures.template(Purpose.MARKETING, Set.of(Channel.EMAIL), "service-notices");
		// a template that is never published offers no row
		this.authoring.create(new org.ccm.templates.NewTemplate(CampaignFixtures.unique("draft-only"), "Gardening",
				Purpose.MARKETING, Set.of(Channel.EMAIL), "letter", List.of(), "product-news"),
				CampaignFixtures.AUTHOR);
	}

	@Test
	void aRowPerPublishedTopicWithTheMandatoryOneCheckedLockedAndExplained() throws Exception {
		CustomerProfile customer = customer(Locale.UK);
		Document page = page(customer);
		Element topics = page.selectFirst("fieldset#topics");
		assertThat(topics).isNotNull();
		assertThat(topics.select("legend").text()).isEqualTo("What our offers and news may be about");
		assertThat(topics.select("input[name=topic]").eachAttr("value")).containsExactly("newsletter",
				"service-notices");
		Element news = page.selectFirst("#topic-newsletter");
		assertThat(news.hasAttr("checked")).as("received until opted out").isTrue();
		assertThat(news.hasAttr("disabled")).isFalse();
		assertThat(page.select("label[for=topic-newsletter]").text()).isEqualTo("Newsletter");
		Element notices = page.selectFirst("#topic-service-notices");
		assertThat(notices.hasAttr("checked")).isTrue();
		assertThat(notices.hasAttr("disabled")).isTrue();
		assertThat(page.select("label[for=topic-service-notices]").text()).isEqualTo("Service notices");
		assertThat(page.getElementById(notices.attr("aria-describedby")).text())
			.startsWith("Required: we must tell you about these");
		for (Element box : page.select("input[type=checkbox]")) {
			assertThat(page.select("label[for=" + box.id() + "]")).as(box.id()).hasSize(1);
		}
	}

	@Test
	void aPolishCustomerReadsTheTopicsInPolish() throws Exception {
		Document page = page(customer(Locale.forLanguageTag("pl-PL")));
		assertThat(page.select("fieldset#topics legend").text())
			.isEqualTo("Czego mogą dotyczyć nasze oferty i nowości");
		assertThat(page.select("label[for=topic-service-notices]").text()).isEqualTo("Komunikaty serwisowe");
		assertThat(page.select("#topic-service-notices-required").text()).startsWith("Wymagane:");
		assertThat(page.select("label[for=topic-newsletter]").text()).isEqualTo("Newsletter");
	}

	@Test
	void untickingATopicOptsOutOnTheTimelineAndTheMandatoryOneStays() throws Exception {
		CustomerProfile customer = customer(Locale.UK);
		String token = this.links.token(customer.id());
		// no topic ticked: the newsletter is opted out of, service notices cannot be
		this.mvc.perform(post("/portal/{token}/preferences", token)).andExpect(status().isForbidden());
		assertThat(this.topics.optedOut(customer.id())).isEmpty();
		this.mvc.perform(post("/portal/{token}/preferences", token).with(csrf()))
			.andExpect(redirectedUrl("/portal/" + token + "/preferences?saved"));
		assertThat(this.topics.optedOut(customer.id())).containsExactly("newsletter");
		assertThat(this.topics.receives(customer.id(), "service-notices")).isTrue();
		assertThat(this.timeline.page(customer.id(), null, 20).entries())
			.filteredOn((entry) -> entry.type() == InteractionType.TOPIC_CHANGED)
			.singleElement()
			.satisfies((entry) -> assertThat(entry.detail()).containsEntry("topic", "newsletter")
				.containsEntry("optedOut", true)
				.containsEntry("changedBy", "customer"));
		Document saved = page(customer);
		assertThat(saved.selectFirst("#topic-newsletter").hasAttr("checked")).isFalse();
		assertThat(saved.selectFirst("#topic-service-notices").hasAttr("checked")).isTrue();

		// ticked again: back in
		this.mvc.perform(post("/portal/{token}/preferences", token).param("topic", "newsletter").with(csrf()))
			.andExpect(status().is3xxRedirection());
		assertThat(this.topics.optedOut(customer.id())).isEmpty();
		assertThat(this.topics.history(customer.id())).hasSize(2);
	}

	@Test
	void staffSeeTheTopicRowsReadOnly() throws Exception {
		CustomerProfile customer = customer(Locale.UK);
		for (var staff : List.of(user("mia").roles("MARKETER"), user("otto").roles("OPS"),
				user("ada").roles("ADMIN"))) {
			Document page = Jsoup.parse(this.mvc
				.perform(get("/admin/customers/" + customer.externalId() + "/portal/preferences").with(staff))
				.andExpect(status().isOk())
				.andReturn()
				.getResponse()
				.getContentAsString());
			assertThat(page.selectFirst("fieldset#topics").hasAttr("disabled")).isTrue();
		}
	}

	@Test
	void theStudiosTemplatePageShowsTheTopic() throws Exception {
		for (var staff : List.of(user("mia").roles("MARKETER"), user("ann").roles("APPROVER"),
				user("brenda").roles("BRAND"), user("ada").roles("ADMIN"))) {
			Document page = Jsoup.parse(this.mvc.perform(get("/admin/templates/{key}", this.newsletter).with(staff))
				.andExpect(status().isOk())
				.andReturn()
				.getResponse()
				.getContentAsString());
			assertThat(page.select("#topic").text()).contains("Newsletter (newsletter)")
				.contains("customers may opt out of it in the preference centre");
		}
	}

	private Document page(CustomerProfile customer) throws Exception {
		return Jsoup.parse(this.mvc.perform(get("/portal/{token}/preferences", this.links.token(customer.id())))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString());
	}

	private CustomerProfile customer(Locale locale) {
		String externalId = "T-" + UUID.randomUUID();
		return this.customers.upsert(externalId, new CustomerDetails("Topic Reader", locale, ZoneId.of("Europe/Warsaw"),
				externalId.toLowerCase(Locale.ROOT) + "@example.com", null, null, Map.of(), Map.of(), null, List.of()));
	}

}
