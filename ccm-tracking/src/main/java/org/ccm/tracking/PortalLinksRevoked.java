package org.ccm.tracking;

import java.time.Instant;
import java.util.UUID;

/**
 * Every portal link issued to a customer before {@code validFrom} was made void.
 *
 * @param validFrom links issued from then on open the portal again
 * @param actor the staff member or API client who revoked them
 */
public record PortalLinksRevoked(UUID customerId, Instant validFrom, String actor) {

}
