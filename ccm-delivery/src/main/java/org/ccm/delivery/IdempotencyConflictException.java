package org.ccm.delivery;

/**
 * Thrown when an idempotency key is reused with a different request body.
 */
class IdempotencyConflictException extends RuntimeException {

	public IdempotencyConflictException(String idempotencyKey) {
		super("idempotency key '" + idempotencyKey + "' was already used with a different request");
	}

}
