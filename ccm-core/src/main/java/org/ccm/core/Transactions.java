package org.ccm.core;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Purchases and other business events of customers. Each also appears on the customer's
 * timeline as a {@link InteractionType#TRANSACTION}, and segments select on them ("bought
 * X in the last 90 days", "spent more than 500").
 */
@Service
class Transactions {

	private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
	};

	private final JdbcClient jdbc;

	private final JsonMapper json;

	private final Timeline timeline;

	private final Clock clock;

	Transactions(JdbcClient jdbc, JsonMapper json, Timeline timeline, Clock clock) {
		this.clock = clock;
		this.jdbc = jdbc;
		this.json = json;
		this.timeline = timeline;
	}

	/**
	 * Records a transaction of an existing customer.
	 * @throws InvalidCustomerException when the type is blank, the currency unknown, or
	 * only one of amount and currency is given
	 * @throws UnknownCustomerException when there is no such customer
	 */
	@Transactional
	public CustomerTransaction record(UUID customerId, TransactionDetails details) {
		Map<String, String> problems = new LinkedHashMap<>();
		if (details.type() == null || details.type().isBlank() || details.type().length() > 100) {
			problems.put("type", "must be 1 to 100 characters");
		}
		if (details.occurredAt() == null) {
			problems.put("occurredAt", "is required");
		}
		String currency = null;
		if (details.currency() != null) {
			try {
				currency = Currency.getInstance(details.currency().strip().toUpperCase(Locale.ROOT)).getCurrencyCode();
			}
			catch (IllegalArgumentException ex) {
				problems.put("currency", "must be an ISO 4217 code such as EUR");
			}
		}
		if ((details.amount() == null) != (details.currency() == null)) {
			problems.put((details.amount() == null) ? "amount" : "currency", "amount and currency go together");
		}
		if (!problems.isEmpty()) {
			throw new InvalidCustomerException(problems);
		}
		if (jdbc.sql("SELECT count(*) FROM customer WHERE id = ?").param(customerId).query(Long.class).single() == 0) {
			throw new UnknownCustomerException(customerId);
		}
		UUID id = TimeOrderedUuid.next();
		Instant now = Instant.now(this.clock);
		Map<String, Object> payload = (details.payload() != null) ? details.payload() : Map.of();
		jdbc.sql(
				"""
						INSERT INTO customer_transaction (id, customer_id, type, product, amount, currency, occurred_at, payload,
						  recorded_at)
						VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?)
						""")
			.params(id, customerId, details.type().strip(), details.product(), details.amount(), currency,
					Timestamps.utc(details.occurredAt()), json.writeValueAsString(payload), Timestamps.utc(now))
			.update();
		Map<String, Object> detail = new LinkedHashMap<>();
		detail.put("transactionId", id.toString());
		detail.put("type", details.type().strip());
		if (details.product() != null) {
			detail.put("product", details.product());
		}
		if (details.amount() != null) {
			detail.put("amount", details.amount().toPlainString());
			detail.put("currency", currency);
		}
		timeline.record(new Interaction(customerId, InteractionType.TRANSACTION, null, null, null, details.occurredAt(),
				detail));
		return new CustomerTransaction(id, customerId, details.type().strip(), details.product(), details.amount(),
				currency, details.occurredAt(), payload, now);
	}

	/**
	 * The customer's transactions, newest first.
	 */
	@Transactional(readOnly = true)
	public List<CustomerTransaction> of(UUID customerId, int limit) {
		return jdbc.sql("""
				SELECT id, customer_id, type, product, amount, currency, occurred_at, payload::text, recorded_at
				FROM customer_transaction WHERE customer_id = ? ORDER BY occurred_at DESC, id DESC LIMIT ?
				""")
			.params(customerId, Math.max(1, Math.min(limit, 10_000)))
			.query((rs, n) -> new CustomerTransaction(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
					rs.getString(3), rs.getString(4), rs.getBigDecimal(5), rs.getString(6),
					rs.getObject(7, OffsetDateTime.class).toInstant(), json.readValue(rs.getString(8), MAP),
					rs.getObject(9, OffsetDateTime.class).toInstant()))
			.list();
	}

}
