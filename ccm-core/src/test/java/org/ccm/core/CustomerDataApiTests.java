package org.ccm.core;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Transactions, consents, attributes, search and segments over HTTP.
 */
@CoreTest
class CustomerDataApiTests {

	@Autowired
	MockMvcTester mvc;

	void put(String externalId, String body) {
		assertThat(
				mvc.put().uri("/api/v1/customers/" + externalId).contentType(MediaType.APPLICATION_JSON).content(body))
			.hasStatus2xxSuccessful();
	}

	@Test
	void transactionsAreRecordedAndShownOnTheTimeline() {
		put("DATA-1", "{\"name\": \"Dana\"}");
		var created = assertThat(mvc.post()
			.uri("/api/v1/customers/DATA-1/transactions")
			.contentType(MediaType.APPLICATION_JSON)
			.content("""
					{"type": "PURCHASE", "product": "SKU-9", "amount": 129.90, "currency": "eur",
					 "occurredAt": "2026-05-01T10:00:00Z", "payload": {"store": "Lyon"}}
					""")).hasStatus(201).bodyJson();
		created.extractingPath("$.currency").isEqualTo("EUR");
		created.extractingPath("$.payload.store").isEqualTo("Lyon");
		assertThat(mvc.get().uri("/api/v1/customers/DATA-1/transactions")).hasStatusOk()
			.bodyJson()
			.extractingPath("$[0].product")
			.isEqualTo("SKU-9");
		var timeline = assertThat(mvc.get().uri("/api/v1/customers/DATA-1/timeline")).hasStatusOk().bodyJson();
		timeline.extractingPath("$.entries[0].type").isEqualTo("TRANSACTION");
		timeline.extractingPath("$.entries[0].detail.amount").isEqualTo("129.90");

		assertThat(mvc.post()
			.uri("/api/v1/customers/DATA-1/transactions")
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"type\": \"PURCHASE\", \"amount\": 10, \"currency\": \"XYZ\"}")).hasStatus(400)
			.bodyJson()
			.extractingPath("$.errors[0].field")
			.isEqualTo("currency");
		assertThat(mvc.post()
			.uri("/api/v1/customers/NOBODY/transactions")
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"type\": \"PURCHASE\"}")).hasStatus(404);
	}

	@Test
	void consentsCanBeChangedAndTheirHistoryRead() {
		put("DATA-2", "{\"name\": \"Eve\", \"phone\": \"+33612345678\"}");
		assertThat(mvc.post()
			.uri("/api/v1/customers/DATA-2/consents")
			.contentType(MediaType.APPLICATION_JSON)
			.content("[{\"channel\": \"SMS\", \"purpose\": \"MARKETING\", \"granted\": true, \"source\": \"shop\"}]"))
			.hasStatusOk();
		var consents = assertThat(mvc.post()
			.uri("/api/v1/customers/DATA-2/consents")
			.contentType(MediaType.APPLICATION_JSON)
			.content("[{\"channel\": \"SMS\", \"purpose\": \"MARKETING\", \"granted\": false, \"source\": \"STOP\"}]"))
			.hasStatusOk()
			.bodyJson();
		consents.extractingPath("$.current[0].granted").isEqualTo(false);
		consents.extractingPath("$.history.length()").isEqualTo(2);
		consents.extractingPath("$.history[1].source").isEqualTo("shop");
		assertThat(mvc.post()
			.uri("/api/v1/customers/DATA-2/consents")
			.contentType(MediaType.APPLICATION_JSON)
			.content("[{\"channel\": \"SMS\", \"purpose\": \"MARKETING\", \"granted\": false}]")).hasStatus(400);
		assertThat(mvc.get().uri("/api/v1/customers/DATA-2/audit")).hasStatusOk()
			.bodyJson()
			.extractingPath("$[*].field")
			.asArray()
			.contains("customer", "consent.SMS.MARKETING");
	}

	@Test
	void attributesAreDeclaredThenUsableAndSearchable() throws Exception {
		assertThat(mvc.put()
			.uri("/api/v1/attributes/points")
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"type\": \"NUMBER\", \"pii\": false}")).hasStatus(201);
		assertThat(mvc.put()
			.uri("/api/v1/attributes/points")
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"type\": \"STRING\"}")).hasStatus(400);
		for (int i = 1; i <= 3; i++) {
			put("FIND-" + i, "{\"name\": \"Finn " + i + "\", \"attributes\": {\"points\": " + (i * 10)
					+ ", \"tier\": \"gold\"}, \"postalAddress\": {\"lines\": [\"x\"], \"city\": \"Findham\", \"country\": \"IE\"}}");
		}
		var first = assertThat(mvc.get().uri("/api/v1/customers?country=ie&attr.tier=gold&limit=2")).hasStatusOk()
			.bodyJson();
		first.extractingPath("$.customers[*].externalId").asArray().containsExactly("FIND-1", "FIND-2");
		first.extractingPath("$.next").isEqualTo("FIND-2");
		assertThat(mvc.get().uri("/api/v1/customers?country=IE&attr.tier=gold&limit=2&after=FIND-2")).hasStatusOk()
			.bodyJson()
			.extractingPath("$.customers[*].externalId")
			.asArray()
			.containsExactly("FIND-3");
		assertThat(mvc.get().uri("/api/v1/customers?attr.points=20")).hasStatusOk()
			.bodyJson()
			.extractingPath("$.customers[*].externalId")
			.asArray()
			.containsExactly("FIND-2");
		assertThat(mvc.get().uri("/api/v1/customers?q=finn 3")).hasStatusOk()
			.bodyJson()
			.extractingPath("$.customers[*].externalId")
			.asArray()
			.containsExactly("FIND-3");
		assertThat(mvc.get().uri("/api/v1/customers?attr.points=lots")).hasStatus(400)
			.bodyJson()
			.extractingPath("$.errors[0].field")
			.isEqualTo("attributes.points");
		assertThat(mvc.get().uri("/api/v1/customers?status=SLEEPING")).hasStatus(400);

		// a segment over them, by HTTP
		assertThat(mvc.put().uri("/api/v1/segments/findham-points").contentType(MediaType.APPLICATION_JSON).content("""
				{"name": "Findham, 20 points or more", "rule": {"type": "and", "rules": [
				  {"type": "profile", "field": "city", "op": "eq", "value": "Findham"},
				  {"type": "attribute", "name": "points", "op": "gte", "value": 20}]}}
				""")).hasStatus(201);
		assertThat(mvc.get().uri("/api/v1/segments/findham-points/count")).hasStatusOk()
			.bodyJson()
			.extractingPath("$.count")
			.isEqualTo(2);
		assertThat(mvc.get().uri("/api/v1/segments/findham-points/preview?limit=1")).hasStatusOk()
			.bodyJson()
			.extractingPath("$[*].externalId")
			.asArray()
			.containsExactly("FIND-2");
		var members = mvc.get().uri("/api/v1/segments/findham-points/members").exchange();
		assertThat(members).hasStatusOk();
		assertThat(List.of(members.getResponse().getContentAsString().split("\n"))).hasSize(2)
			.allSatisfy((line) -> assertThat(line).startsWith("{\"id\""));
		assertThat(mvc.get().uri("/api/v1/customers?segment=findham-points&q=Finn 3")).hasStatusOk()
			.bodyJson()
			.extractingPath("$.customers[*].externalId")
			.asArray()
			.containsExactly("FIND-3");
		assertThat(mvc.post().uri("/api/v1/segments").contentType(MediaType.APPLICATION_JSON).content("""
				{"key": "findham-points", "name": "again", "rule": {"type": "reachable", "channel": "EMAIL"}}
				""")).hasStatus(409);
	}

	@Test
	void badSegmentsAreFieldErrors() {
		assertThat(mvc.put().uri("/api/v1/segments/bad").contentType(MediaType.APPLICATION_JSON).content("""
				{"name": "bad", "rule": {"type": "attribute", "name": "no_such_thing", "op": "eq", "value": 1}}
				""")).hasStatus(400).bodyJson().extractingPath("$.errors[0].field").isEqualTo("rule.name");
		assertThat(mvc.put().uri("/api/v1/segments/bad").contentType(MediaType.APPLICATION_JSON).content("""
				{"name": "bad", "rule": {"type": "telepathy"}}
				""")).hasStatus(400);
		assertThat(mvc.post().uri("/api/v1/segments:count").contentType(MediaType.APPLICATION_JSON).content("""
				{"type": "attribute", "name": "tier", "op": "gt", "value": "gold"}
				""")).hasStatus(400).bodyJson().extractingPath("$.errors[0].field").isEqualTo("rule.op");
		assertThat(mvc.get().uri("/api/v1/segments/missing/count")).hasStatus(404);
	}

}
