package org.ccm.core;

/**
 * Thrown when no segment has the key asked for.
 */
public class UnknownSegmentException extends RuntimeException {

	private final String key;

	public UnknownSegmentException(String key) {
		super("no segment with key '" + key + "'");
		this.key = key;
	}

	public String key() {
		return key;
	}

}
