package org.ccm.templates;

import tools.jackson.databind.JsonNode;

/**
 * A template version with what composing it needs already parsed.
 */
record PreparedTemplate(TemplateDefinition definition, TemplateVersion version, JsonNode schema) {

	TemplateSummary summary() {
		return new TemplateSummary(this.definition.key(), this.definition.purpose(), this.definition.channels(),
				this.version.version(), this.definition.topic());
	}

}
