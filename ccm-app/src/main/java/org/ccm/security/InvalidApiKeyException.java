package org.ccm.security;

import java.util.Map;

/**
 * A key request that cannot be issued, with a message per field.
 */
public class InvalidApiKeyException extends RuntimeException {

	private final Map<String, String> problems;

	InvalidApiKeyException(Map<String, String> problems) {
		super("The API key request has invalid fields: " + problems);
		this.problems = Map.copyOf(problems);
	}

	public Map<String, String> problems() {
		return problems;
	}

}
