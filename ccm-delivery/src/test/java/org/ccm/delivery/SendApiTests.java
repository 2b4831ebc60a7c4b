package org.ccm.delivery;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.ccm.core.Channel;
import org.ccm.core.CustomerProfile;
import org.ccm.core.Purpose;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Accepting a send: idempotent replays, conflicting reuse of a key, the outbox, and every
 * kind of bad input answered with a problem naming the field.
 */
class SendApiTests extends DeliveryIntegrationTest {

	@Autowired
	JsonMapper json;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TransactionTemplate transaction;

	@Test
	void aReplayReturnsTheFirstAnswerAndAnotherBodyIsRefused() throws Exception {
		CustomerProfile customer = reachableEverywhere(unique("replay"), List.of(Channel.PORTAL));
		String key = unique("key");
		String first = send(key, invoice(customer.externalId(), "INV-3001", null)).andExpect(status().isAccepted())
			.andExpect(header().string("Idempotent-Replayed", "false"))
			.andReturn()
			.getResponse()
			.getContentAsString();
		// the same body with its keys in another order is the same request
		String reordered = """
				{"purpose": "TRANSACTIONAL", "template": "invoice", "customer": "%s",
				 "data": {"total": 42.5, "currency": "EUR", "dueDate": "2026-11-30", "issueDate": "2026-11-01",
				          "lines": [{"unitPrice": 42.5, "quantity": 1, "description": "Electricity"}],
				          "invoiceNumber": "INV-3001"}}
				""".formatted(customer.externalId());
		send(key, reordered).andExpect(status().isAccepted())
			.andExpect(header().string("Idempotent-Replayed", "true"))
			.andExpect(content().json(first, org.springframework.test.json.JsonCompareMode.STRICT));

		send(key, invoice(customer.externalId(), "INV-3002", null)).andExpect(status().isUnprocessableContent())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.errors[0].field").value("Idempotency-Key"));

		assertThat(this.jdbc.sql("SELECT count(*) FROM communication WHERE customer_id = ?")
			.param(customer.id())
			.query(Long.class)
			.single()).isEqualTo(1);
		assertThat(this.communications.recent(1)).singleElement()
			.satisfies((recent) -> assertThat(recent.customerExternalId()).isEqualTo(customer.externalId()));
	}

	@Test
	void concurrentSubmitsOfOneKeyCreateOneCommunication() throws Exception {
		CustomerProfile customer = reachableEverywhere(unique("race"), List.of(Channel.PORTAL));
		String key = unique("key");
		SendRequest request = new SendRequest(customer.externalId(), "invoice", Purpose.TRANSACTIONAL,
				java.util.Map.of("invoiceNumber", "INV-4001"), null);
		Callable<Acceptance> submit = () -> this.communications.accept(request, key, "client-a");
		ExecutorService pool = Executors.newFixedThreadPool(4);
		try {
			List<Future<Acceptance>> results = pool.invokeAll(List.of(submit, submit, submit, submit));
			List<UUID> ids = results.stream().map((result) -> {
				try {
					return result.get().communicationId();
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			}).distinct().toList();
			assertThat(ids).hasSize(1);
			assertThat(results.stream().filter((result) -> {
				try {
					return !result.get().replayed();
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			})).hasSize(1);
		}
		finally {
			pool.shutdown();
		}
		// the same key from another client is another request
		assertThat(this.communications.accept(request, key, "client-b").replayed()).isFalse();
	}

	@Test
	void acceptAndRouteQueuesTheDeliveriesInTheAcceptingTransaction() {
		CustomerProfile customer = reachableEverywhere(unique("inline"), List.of(Channel.PORTAL));
		SendRequest request = new SendRequest(customer.externalId(), "invoice", Purpose.TRANSACTIONAL,
				java.util.Map.of("invoiceNumber", "INV-6001"), null);
		String key = unique("key");
		List<String> seenBeforeRouting = new java.util.ArrayList<>();
		Acceptance accepted = this.transaction.execute((status) -> {
			Acceptance acceptance = this.communications.acceptAndRoute(request, key, "client-a", null,
					(created) -> seenBeforeRouting.addAll(deliveries(created.communicationId())));
			// routed before the caller's transaction commits: no routing consumer
			// involved
			assertThat(deliveries(acceptance.communicationId())).containsExactly("PORTAL:QUEUED");
			return acceptance;
		});
		assertThat(seenBeforeRouting).isEmpty();
		assertThat(this.jdbc.sql("SELECT routed_at IS NOT NULL FROM communication WHERE id = ?")
			.param(accepted.communicationId())
			.query(Boolean.class)
			.single()).isTrue();

		List<Acceptance> told = new java.util.ArrayList<>();
		Acceptance replayed = this.communications.acceptAndRoute(request, key, "client-a", null, told::add);
		assertThat(replayed.replayed()).isTrue();
		assertThat(told).containsExactly(replayed);
		assertThat(replayed.communicationId()).isEqualTo(accepted.communicationId());
		assertThat(this.jdbc.sql("SELECT count(*) FROM delivery WHERE communication_id = ?")
			.param(accepted.communicationId())
			.query(Long.class)
			.single()).isEqualTo(1);
	}

	private List<String> deliveries(UUID communicationId) {
		return this.jdbc.sql("SELECT channel || ':' || status FROM delivery WHERE communication_id = ?")
			.param(communicationId)
			.query(String.class)
			.list();
	}

	@Test
	void aRolledBackAcceptPublishesNothing() {
		CustomerProfile customer = reachableEverywhere(unique("rollback"), List.of(Channel.PORTAL));
		long publications = publications();
		SendRequest request = new SendRequest(customer.externalId(), "invoice", Purpose.TRANSACTIONAL,
				java.util.Map.of("invoiceNumber", "INV-5001"), null);
		assertThatExceptionOfType(IllegalStateException.class)
			.isThrownBy(() -> this.transaction.executeWithoutResult((status) -> {
				this.communications.accept(request, unique("key"), "client-a");
				assertThat(publications()).isGreaterThan(publications);
				throw new IllegalStateException("the caller's transaction fails");
			}));
		assertThat(publications()).isEqualTo(publications);
		assertThat(this.jdbc.sql("SELECT count(*) FROM communication WHERE customer_id = ?")
			.param(customer.id())
			.query(Long.class)
			.single()).isZero();
	}

	@Test
	void badInputIsAProblemNamingTheField() throws Exception {
		CustomerProfile customer = reachableEverywhere(unique("bad"), List.of(Channel.PORTAL));
		send(unique("key"), invoice("nobody-" + UUID.randomUUID(), "INV-1", null)).andExpect(status().isNotFound())
			.andExpect(jsonPath("$.errors[0].field").value("customer"));
		send(unique("key"), invoice(customer.externalId(), "INV-1", null).replace("\"invoice\"", "\"menu\""))
			.andExpect(status().isUnprocessableContent())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.errors[0].field").value("template"));
		send(unique("key"), invoice(customer.externalId(), "INV-1", null).replace("\"invoiceNumber\"", "\"number\""))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[0].field").value("data.invoiceNumber"));
		send(unique("key"), "{\"customer\": \"" + customer.externalId() + "\", \"template\": \"invoice\"}")
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[*].field").value(org.hamcrest.Matchers.hasItems("purpose", "data")));
		send(unique("key"), invoice(customer.externalId(), "INV-1", "[\"FAX\"]")).andExpect(status().isBadRequest())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
		send(unique("key"), "{\"customer\": ").andExpect(status().isBadRequest())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
		this.mvc
			.perform(post("/api/v1/communications").contentType(MediaType.APPLICATION_JSON)
				.content(invoice(customer.externalId(), "INV-1", null)))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[0].field").value("Idempotency-Key"));
		send(" ", invoice(customer.externalId(), "INV-1", null)).andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[0].field").value("Idempotency-Key"));
		this.mvc.perform(get("/api/v1/communications/{id}", UUID.randomUUID())).andExpect(status().isNotFound());
		this.mvc.perform(get("/api/v1/communications/not-an-id")).andExpect(status().isBadRequest());
		this.mvc.perform(get("/api/v1/communications/{id}/documents/fax", UUID.randomUUID()))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[0].field").value("channel"));
		assertThat(this.jdbc.sql("SELECT count(*) FROM communication WHERE customer_id = ?")
			.param(customer.id())
			.query(Long.class)
			.single()).isZero();
	}

	private long publications() {
		return this.jdbc.sql("SELECT count(*) FROM event_publication WHERE event_type = ?")
			.param(CommunicationAccepted.class.getName())
			.query(Long.class)
			.single();
	}

}
