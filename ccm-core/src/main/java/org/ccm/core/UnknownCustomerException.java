package org.ccm.core;

/**
 * Thrown when no customer has the external id asked for.
 */
public class UnknownCustomerException extends RuntimeException {

	private final String externalId;

	public UnknownCustomerException(String externalId) {
		super("no customer with external id '" + externalId + "'");
		this.externalId = externalId;
	}

	/**
	 * For a lookup by internal id; {@link #externalId()} then holds that id.
	 */
	public UnknownCustomerException(java.util.UUID id) {
		super("no customer with id '" + id + "'");
		this.externalId = id.toString();
	}

	public String externalId() {
		return externalId;
	}

}
