package org.ccm.templates;

import java.util.Set;

/**
 * Who is changing templates, with their roles as the application's security knows them.
 *
 * @param roles role names without a prefix, such as {@code BRAND} or {@code APPROVER}
 */
public record Actor(String name, Set<String> roles) {

	/** May change locked brand and legal blocks and create templates. */
	public static final String BRAND = "BRAND";

	/**
	 * May approve or reject versions and approve offers (staff with APPROVER or ADMIN;
	 * API keys with {@code templates:write}).
	 */
	public static final String APPROVER = "APPROVER";

	/**
	 * May write offers, submit them for review, retire and discard them (staff with
	 * MARKETER or ADMIN; API keys with {@code templates:write}).
	 */
	public static final String MARKETER = "MARKETER";

	public Actor {
		roles = Set.copyOf(roles);
	}

	public boolean brand() {
		return this.roles.contains(BRAND);
	}

	public boolean approver() {
		return this.roles.contains(APPROVER);
	}

	public boolean marketer() {
		return this.roles.contains(MARKETER);
	}

}
