package org.ccm.core;

import java.util.List;

/**
 * A postal address for print delivery. {@code country} is an ISO 3166-1 alpha-2 code.
 */
public record PostalAddress(List<String> lines, String postcode, String city, String country, ContactState state) {

	public PostalAddress {
		lines = List.copyOf(lines);
	}

}
