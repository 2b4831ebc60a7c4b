package org.ccm.tracking;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.ccm.core.Channel;
import org.ccm.tracking.TrackingToken.Delivery;
import org.jspecify.annotations.Nullable;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * What this module recorded of a customer's interactions, as its engagement statistics
 * read them, oldest first.
 */
@Component
class RecordedInteractions {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final JdbcClient jdbc;

	private final List<MachineTrafficRecorded> machineTraffic = new CopyOnWriteArrayList<>();

	RecordedInteractions(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@EventListener
	void on(MachineTrafficRecorded recorded) {
		this.machineTraffic.add(recorded);
	}

	/**
	 * The machine opens and clicks published for the delivery, added up.
	 */
	MachineTrafficRecorded machineTraffic(Delivery delivery) {
		List<MachineTrafficRecorded> published = this.machineTraffic.stream()
			.filter((recorded) -> recorded.deliveryId().equals(delivery.deliveryId()))
			.toList();
		return new MachineTrafficRecorded(delivery.communicationId(), delivery.deliveryId(), delivery.channel(),
				published.stream().mapToInt(MachineTrafficRecorded::opens).sum(),
				published.stream().mapToInt(MachineTrafficRecorded::clicks).sum());
	}

	List<Recorded> of(UUID customerId) {
		return jdbc.sql("""
				SELECT type, customer_id, channel, communication_id, delivery_id, occurred_at, detail::text, machine
				  FROM tracking_interaction WHERE customer_id = ? ORDER BY id""")
			.param(customerId)
			.query((rs, row) -> new Recorded(rs.getString(1), rs.getObject(2, UUID.class),
					Channel.valueOf(rs.getString(3)), rs.getObject(4, UUID.class), rs.getObject(5, UUID.class),
					rs.getTimestamp(6).toInstant(), JSON.readValue(rs.getString(7), new TypeReference<>() {
					}), rs.getString(8)))
			.list();
	}

	/**
	 * @param type an interaction type, or the provider's delivery status of a receipt
	 * @param machine the rule that took the hit for a machine's, null for a person's
	 */
	record Recorded(String type, UUID customerId, Channel channel, @Nullable UUID communicationId,
			@Nullable UUID deliveryId, Instant occurredAt, Map<String, String> detail, @Nullable String machine) {

	}

}
