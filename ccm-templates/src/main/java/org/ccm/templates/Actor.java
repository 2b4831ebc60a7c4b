package org.ccm.templates;

import java.util.Set;

/**
 * Who is changing templates, with their roles as the application's security knows them.
 *
 * @param roles role names without a prefix, such as {@code BRAND}
 */
public record Actor(String name, Set<String> roles) {

	/** May change locked brand and legal blocks and create templates. */
	public static final String BRAND = "BRAND";

	public Actor {
		roles = Set.copyOf(roles);
	}

	public boolean brand() {
		return this.roles.contains(BRAND);
	}

}
