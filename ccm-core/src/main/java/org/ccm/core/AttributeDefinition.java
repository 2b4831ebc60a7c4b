package org.ccm.core;

import org.jspecify.annotations.Nullable;

/**
 * A declared customer attribute. Only declared attributes are accepted, so segments and
 * templates can rely on their types; PII attributes are removed when a customer is
 * erased.
 */
record AttributeDefinition(String name, AttributeType type, boolean pii, @Nullable String description) {

}
