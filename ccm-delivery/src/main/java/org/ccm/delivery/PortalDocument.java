package org.ccm.delivery;

import java.time.Instant;
import java.util.UUID;

/**
 * A document in a customer's portal inbox.
 *
 * @param archived put away by the customer: out of the main list, still readable
 */
public record PortalDocument(UUID id, UUID communicationId, String title, Instant deliveredAt, boolean read,
		boolean archived) {

}
