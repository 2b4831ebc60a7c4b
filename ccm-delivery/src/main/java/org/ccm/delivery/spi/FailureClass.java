package org.ccm.delivery.spi;

/**
 * What a provider's refusal means for the message, as {@link ProviderAnswers} decides it.
 */
public enum FailureClass {

	/**
	 * Worth trying again later (a busy or unreachable server, a rate limit): retried with
	 * growing pauses, then parked as a dead letter.
	 */
	TEMPORARY,

	/**
	 * Refused for this customer for good (an unknown mailbox, an invalid number, a
	 * message the recipient's server will not take): not retried; the communication falls
	 * back to the customer's next channel, and a contact point that is itself the cause
	 * is suppressed.
	 */
	PERMANENT_FOR_CUSTOMER,

	/**
	 * Our side is at fault (credentials, a suspended account, a refused sender address):
	 * every message would fail the same way, so it is parked as a dead letter at once for
	 * an operator, and never falls back (that would burn every other channel too).
	 */
	PLATFORM_FAULT

}
