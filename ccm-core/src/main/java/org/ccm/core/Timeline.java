package org.ccm.core;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The append-only record of everything that happened between the organisation and a
 * customer. A customer's page is one range scan of the index
 * {@code (customer_id, occurred_at DESC, id DESC)}; the cursor is the position of the
 * last entry shown (keyset pagination), so deep pages cost the same as the first and
 * entries appended meanwhile never shift a page.
 */
@Service
public class Timeline {

	// one statement per chunk: arrays unnested server-side beat JDBC batches of
	// single-row inserts
	private static final String INSERT = """
			INSERT INTO interaction (id, customer_id, type, channel, communication_id, delivery_id, occurred_at, detail)
			SELECT * FROM unnest(?::uuid[], ?::uuid[], ?::text[], ?::text[], ?::uuid[], ?::uuid[],
			  ?::timestamptz[], ?::jsonb[])
			""";

	private static final int CHUNK = 5_000;

	private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
	};

	private final JdbcClient jdbc;

	private final JsonMapper json;

	private final CoreProperties properties;

	Timeline(JdbcClient jdbc, JsonMapper json, CoreProperties properties) {
		this.jdbc = jdbc;
		this.json = json;
		this.properties = properties;
	}

	/**
	 * Appends one interaction. The customer is not looked up: callers hold ids they got
	 * from {@link Customers}.
	 */
	@Transactional
	public void record(Interaction interaction) {
		recordAll(List.of(interaction));
	}

	/**
	 * Appends many interactions in one batch; the tracking write-back uses this.
	 */
	@Transactional
	public void recordAll(Collection<Interaction> interactions) {
		List<Interaction> all = List.copyOf(interactions);
		for (int from = 0; from < all.size(); from += CHUNK) {
			insert(all.subList(from, Math.min(all.size(), from + CHUNK)));
		}
	}

	private void insert(List<Interaction> chunk) {
		int size = chunk.size();
		String[] ids = new String[size];
		String[] customers = new String[size];
		String[] types = new String[size];
		String[] channels = new String[size];
		String[] communications = new String[size];
		String[] deliveries = new String[size];
		String[] occurred = new String[size];
		String[] details = new String[size];
		for (int i = 0; i < size; i++) {
			Interaction interaction = chunk.get(i);
			ids[i] = TimeOrderedUuid.next().toString();
			customers[i] = interaction.customerId().toString();
			types[i] = interaction.type().name();
			channels[i] = (interaction.channel() != null) ? interaction.channel().name() : null;
			communications[i] = (interaction.communicationId() != null) ? interaction.communicationId().toString()
					: null;
			deliveries[i] = (interaction.deliveryId() != null) ? interaction.deliveryId().toString() : null;
			// PostgreSQL keeps microseconds: truncate here so cursors round-trip exactly
			occurred[i] = interaction.occurredAt().truncatedTo(ChronoUnit.MICROS).toString();
			details[i] = json.writeValueAsString(interaction.detail());
		}
		jdbc.sql(INSERT)
			.params(ids, customers, types, channels, communications, deliveries, occurred, details)
			.update();
	}

	/**
	 * A page of the customer's timeline, newest first.
	 * @param cursor the {@link TimelinePage#nextCursor()} of the previous page, or null
	 * for the first
	 * @param limit entries per page, capped at {@code ccm.core.timeline.max-page-size}
	 * @throws IllegalArgumentException when the cursor is not one this method handed out
	 */
	@Transactional(readOnly = true)
	public TimelinePage page(UUID customerId, @Nullable String cursor, int limit) {
		int size = Math.max(1, Math.min(limit, properties.timeline().maxPageSize()));
		List<TimelineEntry> entries;
		String select = "SELECT id, type, channel, communication_id, delivery_id, occurred_at, detail::text "
				+ "FROM interaction WHERE customer_id = ? ";
		String order = " ORDER BY occurred_at DESC, id DESC LIMIT ?";
		if (cursor == null || cursor.isEmpty()) {
			entries = jdbc.sql(select + order).params(customerId, size + 1).query(this::entry).list();
		}
		else {
			Position after = Position.decode(cursor);
			entries = jdbc.sql(select + "AND (occurred_at, id) < (?, ?)" + order)
				.params(customerId, Timestamps.utc(after.occurredAt()), after.id(), size + 1)
				.query(this::entry)
				.list();
		}
		if (entries.size() <= size) {
			return new TimelinePage(entries, null);
		}
		List<TimelineEntry> page = new ArrayList<>(entries.subList(0, size));
		TimelineEntry last = page.get(size - 1);
		return new TimelinePage(page, new Position(last.occurredAt(), last.id()).encode());
	}

	private TimelineEntry entry(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
		String channel = rs.getString(3);
		return new TimelineEntry(rs.getObject(1, UUID.class), InteractionType.valueOf(rs.getString(2)),
				(channel != null) ? Channel.valueOf(channel) : null, rs.getObject(4, UUID.class),
				rs.getObject(5, UUID.class), rs.getObject(6, OffsetDateTime.class).toInstant(),
				json.readValue(rs.getString(7), MAP));
	}

	/**
	 * Where a page ended: the sort key of its last entry.
	 */
	record Position(Instant occurredAt, UUID id) {

		String encode() {
			long micros = ChronoUnit.MICROS.between(Instant.EPOCH, occurredAt);
			return Base64.getUrlEncoder()
				.withoutPadding()
				.encodeToString((micros + "_" + id).getBytes(StandardCharsets.US_ASCII));
		}

		static Position decode(String cursor) {
			try {
				String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
				int separator = text.indexOf('_');
				long micros = Long.parseLong(text.substring(0, separator));
				return new Position(Instant.EPOCH.plus(micros, ChronoUnit.MICROS),
						UUID.fromString(text.substring(separator + 1)));
			}
			catch (RuntimeException ex) {
				throw new IllegalArgumentException("not a timeline cursor: " + cursor, ex);
			}
		}

	}

}
