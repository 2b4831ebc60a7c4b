package org.ccm.templates;

/**
 * Thrown when no published template has the key asked for.
 */
public class UnknownTemplateException extends RuntimeException {

	private final String templateKey;

	public UnknownTemplateException(String templateKey) {
		super("no published template '" + templateKey + "'");
		this.templateKey = templateKey;
	}

	public String templateKey() {
		return templateKey;
	}

}
