package org.ccm.core;

import java.util.UUID;

/**
 * A staff member cleared a suppressed contact point so that it is used again.
 *
 * @param previous the state it had (bounced, complained, invalid, suppressed)
 * @param reason the reason the staff member gave
 * @param actor who cleared it
 */
public record ContactPointCleared(UUID customerId, String externalId, Channel channel, ContactState previous,
		String reason, String actor) {

}
