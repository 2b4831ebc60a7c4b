package org.ccm.core;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import static org.assertj.core.api.Assertions.assertThat;

@CoreTest
class CustomerApiTests {

	@Autowired
	MockMvcTester mvc;

	@Autowired
	Customers customers;

	@Autowired
	Timeline timeline;

	static final String ALICE = """
			{"name": "Alice Martin", "locale": "en-GB", "timeZone": "Europe/London",
			 "email": "alice@example.com", "phone": "+447911123456",
			 "postalAddress": {"lines": ["12 Orchard Lane"], "postcode": "OX1 2JD", "city": "Oxford", "country": "GB"},
			 "attributes": {"tier": "gold"},
			 "preferences": {"TRANSACTIONAL": ["EMAIL", "PRINT"], "MARKETING": ["EMAIL"]},
			 "quietHours": {"start": "21:00", "end": "08:00"},
			 "consents": [{"channel": "EMAIL", "purpose": "MARKETING", "granted": true, "source": "web form"}]}
			""";

	@Test
	void putCreatesThenUpdates() {
		assertThat(mvc.put().uri("/api/v1/customers/API-1").contentType(MediaType.APPLICATION_JSON).content(ALICE))
			.hasStatus(201)
			.bodyJson()
			.extractingPath("$.email")
			.isEqualTo(Map.of("value", "alice@example.com", "state", "UNVERIFIED"));
		assertThat(mvc.put()
			.uri("/api/v1/customers/API-1")
			.contentType(MediaType.APPLICATION_JSON)
			.content(ALICE.replace("gold", "silver"))).hasStatus(200)
			.bodyJson()
			.extractingPath("$.attributes.tier")
			.isEqualTo("silver");

		var get = assertThat(mvc.get().uri("/api/v1/customers/API-1")).hasStatusOk().bodyJson();
		get.extractingPath("$.externalId").isEqualTo("API-1");
		get.extractingPath("$.locale").isEqualTo("en-GB");
		get.extractingPath("$.timeZone").isEqualTo("Europe/London");
		get.extractingPath("$.phone.value").isEqualTo("+447911123456");
		get.extractingPath("$.postalAddress.city").isEqualTo("Oxford");
		get.extractingPath("$.preferences.TRANSACTIONAL").isEqualTo(java.util.List.of("EMAIL", "PRINT"));
		get.extractingPath("$.quietHours.start").isEqualTo("21:00:00");
		get.extractingPath("$.consents[0].granted").isEqualTo(true);
		get.extractingPath("$.status").isEqualTo("ACTIVE");
	}

	@Test
	void invalidContactPointsAreFieldErrors() {
		String bad = ALICE.replace("alice@example.com", "alice(at)example.com").replace("+447911123456", "12");
		var body = assertThat(
				mvc.put().uri("/api/v1/customers/API-2").contentType(MediaType.APPLICATION_JSON).content(bad))
			.hasStatus(400)
			.bodyJson();
		body.extractingPath("$.errors[*].field").asArray().containsExactlyInAnyOrder("email", "phone");
		body.extractingPath("$.type").isEqualTo("urn:ccm:problem:validation");
		assertThat(mvc.get().uri("/api/v1/customers/API-2")).hasStatus(404);
	}

	@Test
	void unknownChannelAttributeOrZoneAreFieldErrors() {
		assertThat(mvc.put()
			.uri("/api/v1/customers/API-3")
			.contentType(MediaType.APPLICATION_JSON)
			.content(ALICE.replace("\"PRINT\"", "\"PIGEON\""))).hasStatus(400)
			.bodyJson()
			.extractingPath("$.errors[0].field")
			.asString()
			.startsWith("preferences");
		assertThat(mvc.put()
			.uri("/api/v1/customers/API-3")
			.contentType(MediaType.APPLICATION_JSON)
			.content(ALICE.replace("\"tier\": \"gold\"", "\"tier\": 1, \"colour\": \"red\""))).hasStatus(400)
			.bodyJson()
			.extractingPath("$.errors[*].field")
			.asArray()
			.containsExactlyInAnyOrder("attributes.tier", "attributes.colour");
		assertThat(mvc.put()
			.uri("/api/v1/customers/API-3")
			.contentType(MediaType.APPLICATION_JSON)
			.content(ALICE.replace("Europe/London", "Mars/Olympus"))).hasStatus(400)
			.bodyJson()
			.extractingPath("$.errors[0].field")
			.isEqualTo("timeZone");
		assertThat(mvc.put()
			.uri("/api/v1/customers/API-3")
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"email\": \"x@example.com\"}")).hasStatus(400)
			.bodyJson()
			.extractingPath("$.errors[0].field")
			.isEqualTo("name");
	}

	@Test
	void timelineIsPagedWithACursor() throws Exception {
		UUID id = customers.upsert("API-4", CustomersTests.alice()).id();
		Instant base = Instant.parse("2026-03-01T08:00:00Z");
		for (int i = 0; i < 3; i++) {
			timeline.record(new Interaction(id, InteractionType.OPENED, Channel.EMAIL, null, null,
					base.plusSeconds(60 * i), Map.of("i", i)));
		}
		// the consent given on creation is on the timeline too: 4 entries
		var first = assertThat(mvc.get().uri("/api/v1/customers/API-4/timeline?limit=2")).hasStatusOk().bodyJson();
		first.extractingPath("$.entries.length()").isEqualTo(2);
		first.extractingPath("$.entries[0].type").isEqualTo("CONSENT_CHANGED");
		first.extractingPath("$.entries[1].detail.i").isEqualTo(2);
		String cursor = (String) com.jayway.jsonpath.JsonPath.read(
				mvc.get().uri("/api/v1/customers/API-4/timeline?limit=2").exchange().getResponse().getContentAsString(),
				"$.nextCursor");
		var second = assertThat(mvc.get().uri("/api/v1/customers/API-4/timeline?limit=2&cursor=" + cursor))
			.hasStatusOk()
			.bodyJson();
		second.extractingPath("$.entries[*].detail.i").asArray().containsExactly(1, 0);
		second.extractingPath("$.nextCursor").isNull();

		assertThat(mvc.get().uri("/api/v1/customers/API-4/timeline?cursor=garbage")).hasStatus(400)
			.bodyJson()
			.extractingPath("$.errors[0].field")
			.isEqualTo("cursor");
		assertThat(mvc.get().uri("/api/v1/customers/NOBODY/timeline")).hasStatus(404);
	}

}
