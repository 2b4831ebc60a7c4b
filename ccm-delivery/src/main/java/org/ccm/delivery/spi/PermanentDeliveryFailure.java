package org.ccm.delivery.spi;

/**
 * The provider refused a message for good (an invalid number, a rejected address):
 * retrying would not help, the communication falls back to the customer's next channel.
 */
public class PermanentDeliveryFailure extends DeliveryFailure {

	public PermanentDeliveryFailure(String message, Throwable cause) {
		this(message, false, cause);
	}

	public PermanentDeliveryFailure(String message) {
		super(FailureClass.PERMANENT_FOR_CUSTOMER, false, message);
	}

	/**
	 * @param aboutContactPoint whether the address or number itself was refused, so that
	 * it is suppressed
	 */
	public PermanentDeliveryFailure(String message, boolean aboutContactPoint, Throwable cause) {
		super(FailureClass.PERMANENT_FOR_CUSTOMER, aboutContactPoint, message, cause);
	}

}
