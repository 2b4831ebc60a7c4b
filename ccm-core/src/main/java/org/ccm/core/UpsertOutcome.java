package org.ccm.core;

import java.util.Set;

/**
 * The customer after an upsert, whether it was created, and which fields changed.
 */
record UpsertOutcome(CustomerProfile customer, boolean created, Set<String> changedFields) {

}
