package org.ccm.templates;

import org.jspecify.annotations.Nullable;

/**
 * Thrown by the authoring API when a template or version does not exist.
 */
class TemplateNotFoundException extends RuntimeException {

	public TemplateNotFoundException(String key, @Nullable Integer version) {
		super((version != null) ? "no version " + version + " of template '" + key + "'" : "no template '" + key + "'");
	}

}
