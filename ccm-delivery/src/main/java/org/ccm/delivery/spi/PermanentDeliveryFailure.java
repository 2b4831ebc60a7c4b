package org.ccm.delivery.spi;

/**
 * The provider refused a message for good (an invalid number, a rejected address):
 * retrying would not help.
 */
public class PermanentDeliveryFailure extends RuntimeException {

	public PermanentDeliveryFailure(String message, Throwable cause) {
		super(message, cause);
	}

	public PermanentDeliveryFailure(String message) {
		super(message);
	}

}
