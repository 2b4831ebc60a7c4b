package org.ccm.delivery;

import java.time.Instant;
import java.util.UUID;

/**
 * Published in the transaction that accepted a communication; it reaches the routing
 * stage through Kafka ({@code ccm.communications.requested}, keyed by customer id).
 */
record CommunicationAccepted(UUID communicationId, UUID customerId, String template, Instant acceptedAt) {

}
