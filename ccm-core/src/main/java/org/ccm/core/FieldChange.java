package org.ccm.core;

import java.time.Instant;

/**
 * One audited change of a customer: the field ({@code email}, {@code attributes.tier},
 * {@code consent.EMAIL.MARKETING}), what happened to it, who did it and when. Values are
 * not kept, so the audit trail holds no personal data.
 */
record FieldChange(String field, String action, String changedBy, Instant changedAt) {

}
