package org.ccm.core;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Thrown when customer data does not pass validation: an invalid email or phone number,
 * an unknown attribute or one of the wrong type. Nothing was written.
 */
public class InvalidCustomerException extends RuntimeException {

	private final Map<String, String> problems;

	/**
	 * @param problems message per field path ({@code email}, {@code attributes.tier})
	 */
	public InvalidCustomerException(Map<String, String> problems) {
		super("invalid customer data: " + problems);
		this.problems = Map.copyOf(new LinkedHashMap<>(problems));
	}

	public Map<String, String> problems() {
		return problems;
	}

}
