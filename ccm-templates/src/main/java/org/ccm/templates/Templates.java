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

	/**
	 * Checks a send's data against one version's schema, whatever its state (a campaign
	 * pins the version published at its launch).
	 * @throws UnknownTemplateException when the template has no such version
	 * @throws InvalidTemplateDataException naming every field that is missing or mistyped
	 */
	public void validate(String key, int version, Map<String, Object> data) {
		check(this.prepared.version(key, version).orElseThrow(() -> new UnknownTemplateException(key)), data);
	}

	/**
	 * The state of one version of a template, if it exists.
	 */
	public Optional<VersionState> versionState(String key, int version) {
		return this.prepared.version(key, version).map((template) -> template.version().state());
	}

	void check(PreparedTemplate template, Map<String, Object> data) {
		List<DataViolation> violations = this.schemas.violations(template.version().dataSchema(), data);
		if (!violations.isEmpty()) {
			throw new InvalidTemplateDataException(template.definition().key(), violations);
		}
	}

}
