package org.ccm.core;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Thrown when a segment definition cannot be evaluated: an undeclared attribute, a value
 * of the wrong type, a comparison the attribute's type does not support. Nothing was
 * written.
 */
public class InvalidSegmentException extends RuntimeException {

	private final Map<String, String> problems;

	/**
	 * @param problems message per path in the definition ({@code rule.rules[1].value})
	 */
	public InvalidSegmentException(Map<String, String> problems) {
		super("invalid segment: " + problems);
		this.problems = Map.copyOf(new LinkedHashMap<>(problems));
	}

	public Map<String, String> problems() {
		return problems;
	}

}
