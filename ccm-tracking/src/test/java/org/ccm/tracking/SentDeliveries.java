package org.ccm.tracking;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.ccm.core.Channel;
import org.ccm.core.CustomerProfile;
import org.ccm.core.Purpose;
import org.ccm.delivery.CommunicationView;
import org.ccm.delivery.Communications;
import org.ccm.delivery.DeliveryStatus;
import org.ccm.delivery.DeliveryStatusChanged;
import org.ccm.delivery.DeliveryView;
import org.ccm.delivery.SendRequest;
import org.ccm.tracking.TrackingToken.Delivery;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import static org.awaitility.Awaitility.await;

/**
 * Deliveries this module has been told were sent: announced by the event alone, or real
 * portal invoices accepted and delivered by the delivery module.
 */
@Component
class SentDeliveries {

	private final ApplicationEventPublisher publisher;

	private final TransactionTemplate transactions;

	private final Communications communications;

	private final JdbcClient jdbc;

	SentDeliveries(ApplicationEventPublisher publisher, TransactionTemplate transactions, Communications communications,
			JdbcClient jdbc) {
		this.publisher = publisher;
		this.transactions = transactions;
		this.communications = communications;
		this.jdbc = jdbc;
	}

	/**
	 * What the delivery module publishes when a message left at {@code at}; answers once
	 * this module has recorded it.
	 */
	Delivery announced(CustomerProfile customer, Channel channel, Instant at) {
		Delivery delivery = new Delivery(UUID.randomUUID(), UUID.randomUUID(), channel);
		transactions
			.executeWithoutResult((tx) -> publisher.publishEvent(new DeliveryStatusChanged(delivery.communicationId(),
					delivery.deliveryId(), customer.id(), "winter-offers", channel, DeliveryStatus.SENT, at, null)));
		awaitTracked(delivery.deliveryId());
		return delivery;
	}

	/**
	 * Accepts an invoice to the customer's portal inbox, sent with the API key if one is
	 * given.
	 */
	UUID acceptInvoice(CustomerProfile customer, @Nullable UUID apiKeyId) {
		SendRequest invoice = new SendRequest(customer.externalId(), "invoice", Purpose.TRANSACTIONAL,
				Map.of("invoiceNumber", "INV-" + customer.externalId(), "issueDate", "2026-11-01", "dueDate",
						"2026-11-30", "currency", "GBP", "lines",
						List.of(Map.of("description", "Electricity, October", "quantity", 1, "unitPrice", 84.20)),
						"total", 84.20),
				List.of(Channel.PORTAL));
		try {
			return communications.accept(invoice, UUID.randomUUID().toString(), "tracking-tests", null, apiKeyId)
				.communicationId();
		}
		catch (UnsupportedOperationException ex) {
			Assumptions.abort("needs the templates module's published 'invoice' template: " + ex.getMessage());
			throw ex;
		}
	}

	/**
	 * A real portal invoice, once it is sent and this module has recorded it.
	 */
	Delivery portalInvoice(CustomerProfile customer) {
		UUID communicationId = acceptInvoice(customer, null);
		DeliveryView sent = await().atMost(Duration.ofSeconds(60))
			.until(() -> communications.find(communicationId)
				.map(CommunicationView::deliveries)
				.filter((deliveries) -> !deliveries.isEmpty())
				.map((deliveries) -> deliveries.get(0))
				.orElse(null), (delivery) -> delivery != null && delivery.status() == DeliveryStatus.SENT);
		awaitTracked(sent.id());
		return new Delivery(sent.id(), communicationId, sent.channel());
	}

	DeliveryStatus status(Delivery delivery) {
		return communications.find(delivery.communicationId()).orElseThrow().deliveries().get(0).status();
	}

	private void awaitTracked(UUID deliveryId) {
		await().until(() -> jdbc
			.sql("SELECT count(*) FROM tracked_delivery WHERE delivery_id = ? AND customer_id IS NOT NULL")
			.param(deliveryId)
			.query(Long.class)
			.single() == 1);
	}

}
