package org.ccm.delivery;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.ccm.core.Purpose;

/**
 * A communication with the status of each of its deliveries.
 *
 * @param status the communication as a whole, derived from its deliveries
 */
public record CommunicationView(UUID id, UUID customerId, String customerExternalId, String template, Purpose purpose,
		Instant acceptedAt, CommunicationStatus status, List<DeliveryView> deliveries) {

	public CommunicationView(UUID id, UUID customerId, String customerExternalId, String template, Purpose purpose,
			Instant acceptedAt, List<DeliveryView> deliveries) {
		this(id, customerId, customerExternalId, template, purpose, acceptedAt, CommunicationStatus.of(deliveries),
				deliveries);
	}

}
