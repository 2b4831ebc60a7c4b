package org.ccm.core;

import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

@CoreTest
class TopicsTests {

	@Autowired
	Customers customers;

	@Autowired
	Topics topics;

	@Autowired
	Timeline timeline;

	@Autowired
	MockMvcTester mvc;

	@Test
	void withoutConfigurationThePlatformKnowsTheBuiltInTopicsWithEnglishAndPolishLabels() {
		assertThat(topics.all()).extracting(Topic::key)
			.containsExactly("newsletter", "product-news", "service-notices");
		Topic notices = topics.find("service-notices").orElseThrow();
		assertThat(notices.mandatory()).isTrue();
		assertThat(topics.find("newsletter").orElseThrow().mandatory()).isFalse();
		assertThat(notices.label(Locale.forLanguageTag("pl-PL"))).isEqualTo("Komunikaty serwisowe");
		assertThat(notices.label(Locale.UK)).isEqualTo("Service notices");
		// a language without a label gets the English one
		assertThat(notices.label(Locale.GERMANY)).isEqualTo("Service notices");
		assertThat(topics.find("gardening")).isEmpty();
	}

	@Test
	void anOptOutIsKeptWithItsHistoryAuditedAndOnTheTimelineAsTheCustomersChange() {
		CustomerProfile customer = customer("TOP-1");
		assertThat(topics.receives(customer.id(), "newsletter")).isTrue();

		customers.changePreferences(customer.id(), List.of(), null, null, List.of(),
				Map.of("newsletter", true, "product-news", false), "customer");

		assertThat(topics.optedOut(customer.id())).containsExactly("newsletter");
		assertThat(topics.receives(customer.id(), "newsletter")).isFalse();
		assertThat(topics.receives(customer.id(), "product-news")).isTrue();
		// product news was not opted out of before: nothing to record
		assertThat(topics.history(customer.id())).singleElement().satisfies((choice) -> {
			assertThat(choice.topic()).isEqualTo("newsletter");
			assertThat(choice.optedOut()).isTrue();
			assertThat(choice.changedBy()).isEqualTo("customer");
			assertThat(choice.source()).isEqualTo("preference centre");
		});
		assertThat(customers.auditTrail(customer.id())).extracting(FieldChange::field, FieldChange::action)
			.contains(org.assertj.core.groups.Tuple.tuple("topic.newsletter", "OPTED_OUT"));
		List<TimelineEntry> entries = timeline.page(customer.id(), null, 20).entries();
		assertThat(entries).filteredOn((entry) -> entry.type() == InteractionType.TOPIC_CHANGED)
			.singleElement()
			.satisfies((entry) -> assertThat(entry.detail()).containsEntry("topic", "newsletter")
				.containsEntry("optedOut", true)
				.containsEntry("changedBy", "customer"));

		// the same choice again writes nothing; opting back in is recorded too
		customers.changePreferences(customer.id(), List.of(), null, null, List.of(), Map.of("newsletter", true),
				"customer");
		assertThat(topics.history(customer.id())).hasSize(1);
		customers.changePreferences(customer.id(), List.of(), null, null, List.of(), Map.of("newsletter", false),
				"customer");
		assertThat(topics.optedOut(customer.id())).isEmpty();
		assertThat(topics.history(customer.id())).extracting(TopicChoice::optedOut).containsExactly(false, true);
	}

	@Test
	void aMandatoryOrUnknownTopicCannotBeOptedOutOfAndNothingIsWritten() {
		CustomerProfile customer = customer("TOP-2");
		assertThatExceptionOfType(InvalidCustomerException.class)
			.isThrownBy(() -> customers.changePreferences(customer.id(), List.of(Channel.EMAIL), null, null, List.of(),
					Map.of("service-notices", true, "gardening", true), "customer"))
			.satisfies(
					(ex) -> assertThat(ex.problems()).containsOnlyKeys("topics.service-notices", "topics.gardening"));
		assertThat(topics.history(customer.id())).isEmpty();
		assertThat(customers.findById(customer.id()).orElseThrow().channelsFor(Purpose.TRANSACTIONAL)).isEmpty();
		// a mandatory topic is received whatever happened before
		assertThat(topics.receives(customer.id(), "service-notices")).isTrue();
	}

	@Test
	void theCustomerReadModelNamesTheTopicsOptedOutOf() {
		CustomerProfile customer = customer("TOP-3");
		assertThat(mvc.get().uri("/api/v1/customers/TOP-3")).hasStatusOk()
			.bodyJson()
			.extractingPath("$.topicOptOuts")
			.asArray()
			.isEmpty();
		customers.changePreferences(customer.id(), List.of(), null, null, List.of(), Map.of("product-news", true),
				"customer");
		assertThat(mvc.get().uri("/api/v1/customers/TOP-3")).hasStatusOk()
			.bodyJson()
			.extractingPath("$.topicOptOuts")
			.asArray()
			.containsExactly("product-news");
	}

	private CustomerProfile customer(String externalId) {
		return customers.upsert(externalId, new CustomerDetails("Topic Reader", Locale.UK, ZoneId.of("Europe/London"),
				externalId.toLowerCase(Locale.ROOT) + "@example.com", null, null, Map.of(), Map.of(), null, List.of()));
	}

}
