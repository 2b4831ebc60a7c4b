package org.ccm.delivery;

import java.time.Clock;
import java.time.Instant;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.ccm.delivery.spi.TrackedMessage;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * The customer portal's inbox: documents delivered on the portal channel.
 */
@Service
public class PortalInbox {

	private final JdbcClient jdbc;

	private final Clock clock;

	PortalInbox(JdbcClient jdbc, Clock clock) {
		this.clock = clock;
		this.jdbc = jdbc;
	}

	public List<PortalDocument> documents(UUID customerId) {
		return this.jdbc.sql("""
				SELECT id, communication_id, title, delivered_at, read_at IS NOT NULL, archived_at IS NOT NULL
				  FROM portal_document WHERE customer_id = ? ORDER BY delivered_at DESC, id""")
			.param(customerId)
			.query((rs, row) -> new PortalDocument(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
					rs.getString(3), rs.getTimestamp(4).toInstant(), rs.getBoolean(5), rs.getBoolean(6)))
			.list();
	}

	/**
	 * The document's HTML as composed for the portal; marks it read.
	 */
	public Optional<String> html(UUID customerId, UUID documentId) {
		Optional<String> html = peek(customerId, documentId);
		html.ifPresent(
				(found) -> this.jdbc.sql("UPDATE portal_document SET read_at = ? WHERE id = ? AND read_at IS NULL")
					.params(Deliveries.timestamp(Instant.now(this.clock)), documentId)
					.update());
		return html;
	}

	/**
	 * The document's HTML as composed for the portal, left unread: staff looking at the
	 * customer's inbox change nothing in it.
	 */
	public Optional<String> peek(UUID customerId, UUID documentId) {
		return this.jdbc.sql("SELECT html FROM portal_document WHERE customer_id = ? AND id = ?")
			.params(customerId, documentId)
			.query(String.class)
			.optional();
	}

	/**
	 * Marks the customer's document read or unread again, as the customer chose.
	 * @return false when the customer has no such document
	 */
	public boolean markRead(UUID customerId, UUID documentId, boolean read) {
		return this.jdbc
			.sql("UPDATE portal_document SET read_at = CASE WHEN ? THEN coalesce(read_at, ?) END"
					+ " WHERE customer_id = ? AND id = ?")
			.params(read, Deliveries.timestamp(Instant.now(this.clock)), customerId, documentId)
			.update() == 1;
	}

	/**
	 * Puts the customer's document away, or back into the inbox.
	 * @return false when the customer has no such document
	 */
	public boolean archive(UUID customerId, UUID documentId, boolean archived) {
		return this.jdbc
			.sql("UPDATE portal_document SET archived_at = CASE WHEN ? THEN coalesce(archived_at, ?) END"
					+ " WHERE customer_id = ? AND id = ?")
			.params(archived, Deliveries.timestamp(Instant.now(this.clock)), customerId, documentId)
			.update() == 1;
	}

	public Optional<byte[]> pdf(UUID customerId, UUID documentId) {
		return this.jdbc.sql("SELECT pdf FROM portal_document WHERE customer_id = ? AND id = ? AND pdf IS NOT NULL")
			.params(customerId, documentId)
			.query((rs, row) -> rs.getBytes(1))
			.optional();
	}

	/**
	 * Puts a document in the customer's inbox; used by the portal channel. Storing the
	 * same delivery twice keeps the first.
	 * @return the inbox document's id
	 */
	public UUID deliver(TrackedMessage delivery, String title, String html, byte @Nullable [] pdf) {
		UUID id = UUID.randomUUID();
		this.jdbc
			.sql("""
					INSERT INTO portal_document (id, customer_id, communication_id, delivery_id, title, html, pdf, delivered_at)
					VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (delivery_id) DO NOTHING""")
			.params(id, delivery.customerId(), delivery.communicationId(), delivery.deliveryId(), title, html, pdf,
					Timestamp.from(Instant.now(this.clock)))
			.update();
		return this.jdbc.sql("SELECT id FROM portal_document WHERE delivery_id = ?")
			.param(delivery.deliveryId())
			.query(UUID.class)
			.single();
	}

}
