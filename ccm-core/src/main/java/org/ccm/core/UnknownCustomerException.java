package org.ccm.core;

import java.util.List;

import org.ccm.core.problems.FieldProblem;
import org.ccm.core.problems.ProblemException;
import org.ccm.core.problems.ProblemType;

/**
 * Thrown when no customer has the external id asked for. It reaches the customer, send
 * and preview APIs alike and answers {@code 404} in all of them.
 */
public class UnknownCustomerException extends ProblemException {

	private final String externalId;

	public UnknownCustomerException(String externalId) {
		super(ProblemType.NOT_FOUND, "no customer with external id '" + externalId + "'",
				List.of(new FieldProblem("customer", "no customer with external id '" + externalId + "'")));
		this.externalId = externalId;
	}

	/**
	 * For a lookup by internal id; {@link #externalId()} then holds that id.
	 */
	public UnknownCustomerException(java.util.UUID id) {
		super(ProblemType.NOT_FOUND, "no customer with id '" + id + "'",
				List.of(new FieldProblem("customer", "no customer with id '" + id + "'")));
		this.externalId = id.toString();
	}

	public String externalId() {
		return externalId;
	}

}
