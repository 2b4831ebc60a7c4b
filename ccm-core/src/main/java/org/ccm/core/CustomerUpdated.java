package org.ccm.core;

import java.util.UUID;

/**
 * Published when a customer was created or changed.
 */
record CustomerUpdated(UUID customerId, String externalId) {

}
