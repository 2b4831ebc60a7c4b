package org.ccm.templates;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.stereotype.Service;

/**
 * Templates as senders see them: what is published and whether a send's data fits.
 */
@Service
public class Templates {

	private final PreparedTemplates prepared;

	private final DataSchemas schemas;

	Templates(PreparedTemplates prepared, DataSchemas schemas) {
		this.prepared = prepared;
		this.schemas = schemas;
	}

	public Optional<TemplateSummary> findPublished(String key) {
		return this.prepared.published(key).map(PreparedTemplate::summary);
	}

	/**
	 * Checks a send's data against the published template's schema.
	 * @throws UnknownTemplateException when no template with that key is published
	 * @throws InvalidTemplateDataException naming every field that is missing or mistyped
	 * by its JSON pointer ({@code /lines/0/quantity})
	 */
	public TemplateSummary validate(String key, Map<String, Object> data) {
		PreparedTemplate template = this.prepared.published(key).orElseThrow(() -> new UnknownTemplateException(key));
		check(template, data);
		return template.summary();
	}

	void check(PreparedTemplate template, Map<String, Object> data) {
		List<DataViolation> violations = this.schemas.violations(template.version().dataSchema(), data);
		if (!violations.isEmpty()) {
			throw new InvalidTemplateDataException(template.definition().key(), violations);
		}
	}

}
