package org.ccm.delivery;

import java.util.List;
import java.util.UUID;

import org.ccm.core.Channel;
import org.ccm.core.CustomerProfile;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * {@code POST /communications:batch}: every item answered in order, good items accepted
 * whatever the bad ones next to them, each with its own idempotency key.
 */
class BatchApiTests extends DeliveryIntegrationTest {

	@Autowired
	JsonMapper json;

	@Autowired
	JdbcClient jdbc;

	@Test
	void aJsonArrayWithGoodAndBadItemsAcceptsTheGoodOnesAndNamesWhatIsWrongWithTheOthers() throws Exception {
		CustomerProfile customer = reachableEverywhere(unique("batch"), List.of(Channel.PORTAL));
		String key = unique("key");
		String body = "[" + String.join(",", item(customer.externalId(), "INV-1", key),
				item("nobody-" + UUID.randomUUID(), "INV-2", unique("key")),
				item(customer.externalId(), "INV-3", unique("key")).replace("\"invoice\"", "\"menu\""),
				item(customer.externalId(), "INV-4", unique("key")).replace("\"invoiceNumber\"", "\"number\""),
				"{\"customer\": \"" + customer.externalId() + "\", \"idempotencyKey\": \"" + unique("key") + "\"}",
				item(customer.externalId(), "INV-6", null), "42", item(customer.externalId(), "INV-1", key),
				item(customer.externalId(), "INV-other", key), item(customer.externalId(), "INV-10", unique("key")))
				+ "]";

		JsonNode results = this.json.readTree(batch(MediaType.APPLICATION_JSON, body));

		assertThat(results).hasSize(10);
		for (int i = 0; i < 10; i++) {
			assertThat(results.get(i).get("index").asInt()).isEqualTo(i);
		}
		assertThat(resultStatus(results, 0)).isEqualTo(202);
		assertThat(results.get(0).get("replayed").asBoolean()).isFalse();
		assertProblem(results.get(1), 404, "customer");
		assertProblem(results.get(2), 422, "template");
		assertProblem(results.get(3), 400, "data.invoiceNumber");
		assertProblem(results.get(4), 400, "data");
		assertThat(fields(results.get(4))).contains("purpose", "template");
		assertProblem(results.get(5), 400, "idempotencyKey");
		assertProblem(results.get(6), 400, "body");
		// the same key and body again within the batch is a replay of the first answer
		assertThat(resultStatus(results, 7)).isEqualTo(202);
		assertThat(results.get(7).get("replayed").asBoolean()).isTrue();
		assertThat(results.get(7).get("id").asString()).isEqualTo(results.get(0).get("id").asString());
		assertProblem(results.get(8), 422, "idempotencyKey");
		assertThat(resultStatus(results, 9)).isEqualTo(202);

		assertThat(this.jdbc.sql("SELECT count(*) FROM communication WHERE customer_id = ?")
			.param(customer.id())
			.query(Long.class)
			.single()).isEqualTo(2);
		CommunicationView sent = settled(UUID.fromString(results.get(9).get("id").asString()));
		assertThat(on(sent, Channel.PORTAL).status()).isEqualTo(DeliveryStatus.SENT);
	}

	@Test
	void jsonLinesAreAnsweredLineByLineAndAMalformedLineDoesNotStopTheRest() throws Exception {
		CustomerProfile customer = reachableEverywhere(unique("lines"), List.of(Channel.PORTAL));
		String body = item(customer.externalId(), "INV-1", unique("key")) + "\n" + "{\"customer\": \n\n"
				+ item(customer.externalId(), "INV-3", unique("key")) + "\n";

		String answer = batch(MediaType.parseMediaType("application/x-ndjson"), body);

		List<JsonNode> results = answer.lines().map(this.json::readTree).toList();
		assertThat(results).hasSize(3);
		assertThat(results.get(0).get("status").asInt()).isEqualTo(202);
		assertProblem(results.get(1), 400, "body");
		assertThat(results.get(1).get("index").asInt()).isEqualTo(1);
		assertThat(results.get(2).get("status").asInt()).isEqualTo(202);
		assertThat(results.get(2).get("index").asInt()).isEqualTo(2);
	}

	@Test
	void itemsBeyondTenThousandAreRefused() throws Exception {
		StringBuilder body = new StringBuilder();
		for (int i = 0; i <= CommunicationBatches.MAX_ITEMS; i++) {
			// invalid items: checked, answered, never stored
			body.append("{\"idempotencyKey\": \"k-").append(i).append("\"}\n");
		}

		String answer = batch(MediaType.parseMediaType("application/x-ndjson"), body.toString());

		List<String> lines = answer.lines().toList();
		assertThat(lines).hasSize(CommunicationBatches.MAX_ITEMS + 1);
		JsonNode last = this.json.readTree(lines.get(CommunicationBatches.MAX_ITEMS));
		assertThat(last.get("index").asInt()).isEqualTo(CommunicationBatches.MAX_ITEMS);
		assertThat(last.get("status").asInt()).isEqualTo(413);
	}

	@Test
	void aBodyThatIsNotAnArrayIsOneProblem() throws Exception {
		JsonNode results = this.json.readTree(batch(MediaType.APPLICATION_JSON, "{\"customer\": \"C-1\"}"));

		assertThat(results).hasSize(1);
		assertProblem(results.get(0), 400, "body");
	}

	private String batch(MediaType type, String body) throws Exception {
		return this.mvc.perform(post("/api/v1/communications:batch").contentType(type).content(body))
			.andExpect(status().isOk())
			.andExpect(content().contentTypeCompatibleWith(type))
			.andReturn()
			.getResponse()
			.getContentAsString();
	}

	private static String item(String customer, String invoiceNumber, @Nullable String idempotencyKey) {
		String send = invoice(customer, invoiceNumber, null).strip().replace('\n', ' ');
		return (idempotencyKey != null)
				? send.substring(0, send.length() - 1) + ", \"idempotencyKey\": \"" + idempotencyKey + "\"}" : send;
	}

	private static int resultStatus(JsonNode results, int index) {
		return results.get(index).get("status").asInt();
	}

	private static List<String> fields(JsonNode problem) {
		return problem.get("errors").valueStream().map((error) -> error.get("field").asString()).toList();
	}

	private static void assertProblem(JsonNode result, int status, String field) {
		assertThat(result.get("status").asInt()).as(result.toString()).isEqualTo(status);
		assertThat(result.get("title").asString()).isNotBlank();
		assertThat(fields(result)).as(result.toString()).contains(field);
	}

}
