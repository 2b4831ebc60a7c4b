package org.ccm.templates;

import java.time.Instant;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Named sample data and a customer a template is previewed with, stored with the template
 * so every reviewer looks at the same cases.
 *
 * @param customer a customer's external id, or null for a sample customer
 * @param data the data of a send, or null for the version's sample data
 */
public record ProofSet(String templateKey, String name, @Nullable String customer, @Nullable Map<String, Object> data,
		String createdBy, Instant createdAt) {

}
