package org.ccm.delivery;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.ccm.core.Channel;
import org.jspecify.annotations.Nullable;

/**
 * Where a communication stands, in one line: for callers that follow many communications
 * at once (campaigns) and need no status history.
 *
 * @param channel the channel that reached the customer (sent), or the one that explains
 * why nothing did or nothing has yet
 * @param deliveryStatus that channel's delivery status
 * @param reason why the communication did not reach the customer, or is deferred
 */
public record CommunicationOutcome(UUID communicationId, CommunicationStatus status, @Nullable Channel channel,
		@Nullable DeliveryStatus deliveryStatus, @Nullable String reason) {

	static CommunicationOutcome of(UUID communicationId, List<DeliveryView> deliveries) {
		CommunicationStatus status = CommunicationStatus.of(deliveries);
		Optional<DeliveryView> telling = switch (status) {
			case ACCEPTED -> Optional.empty();
			case SENT -> deliveries.stream().filter((delivery) -> delivery.status().isEngagement()).findFirst();
			case IN_PROGRESS -> deliveries.stream()
				.filter((delivery) -> delivery.status() == DeliveryStatus.DEFERRED)
				.findFirst()
				.or(() -> deliveries.stream().filter((delivery) -> !delivery.status().isFinal()).findFirst());
			case UNDELIVERED -> deliveries.stream()
				.filter((delivery) -> delivery.status() == DeliveryStatus.SUPPRESSED)
				.findFirst()
				.or(() -> Optional.of(deliveries.get(deliveries.size() - 1)));
		};
		return telling
			.map((delivery) -> new CommunicationOutcome(communicationId, status, delivery.channel(), delivery.status(),
					(status == CommunicationStatus.SENT) ? null : delivery.failureReason()))
			.orElseGet(() -> new CommunicationOutcome(communicationId, status, null, null, null));
	}

}
