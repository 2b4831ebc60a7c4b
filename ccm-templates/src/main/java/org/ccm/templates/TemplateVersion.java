package org.ccm.templates;

import java.time.Instant;
import java.util.Map;

/**
 * One version of a template.
 *
 * @param dataSchema the JSON Schema a send's data must match
 * @param sampleData data used for previews when no customer data is given
 * @param revision raised by every change of the version (its content while a draft, its
 * state); a change of a draft sends back the revision it was based on
 */
public record TemplateVersion(String templateKey, int version, VersionState state, String author,
		TemplateContent content, String dataSchema, Map<String, Object> sampleData, Instant createdAt,
		Instant updatedAt, long revision) {

}
