package org.ccm.templates;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The content of a draft version.
 *
 * @param dataSchema the JSON Schema of a send's data as JSON text; null keeps the schema
 * of the version the draft is based on
 * @param sampleData data for previews; null keeps the base version's
 * @param revision when changing a draft, the revision of the draft the change is based
 * on: a draft changed by someone else since is not overwritten; null changes whatever
 * revision is stored
 */
public record DraftRequest(TemplateContent content, @Nullable String dataSchema,
		@Nullable Map<String, Object> sampleData, @Nullable Long revision) {

	public DraftRequest(TemplateContent content, @Nullable String dataSchema,
			@Nullable Map<String, Object> sampleData) {
		this(content, dataSchema, sampleData, null);
	}

}
