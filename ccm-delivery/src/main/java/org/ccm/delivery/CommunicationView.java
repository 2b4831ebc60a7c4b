package org.ccm.delivery;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.ccm.core.Purpose;

public record CommunicationView(UUID id, UUID customerId, String customerExternalId, String template, Purpose purpose,
		Instant acceptedAt, List<DeliveryView> deliveries) {

}
