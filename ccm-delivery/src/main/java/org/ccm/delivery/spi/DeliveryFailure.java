package org.ccm.delivery.spi;

/**
 * A provider refused a message; {@link #failureClass()} says what that means and
 * {@link #aboutContactPoint()} whether the customer's address or number itself is the
 * cause (it is then suppressed). Any other exception a {@link ChannelSender} throws is
 * taken as {@link FailureClass#TEMPORARY}.
 */
public class DeliveryFailure extends RuntimeException {

	private final FailureClass failureClass;

	private final boolean aboutContactPoint;

	public DeliveryFailure(FailureClass failureClass, boolean aboutContactPoint, String message, Throwable cause) {
		super(message, cause);
		this.failureClass = failureClass;
		this.aboutContactPoint = aboutContactPoint;
	}

	public DeliveryFailure(FailureClass failureClass, boolean aboutContactPoint, String message) {
		super(message);
		this.failureClass = failureClass;
		this.aboutContactPoint = aboutContactPoint;
	}

	/**
	 * The failure a classified provider answer stands for.
	 */
	public static DeliveryFailure of(ProviderAnswers.Answer answer, String message, Throwable cause) {
		return (answer.failureClass() == FailureClass.PERMANENT_FOR_CUSTOMER)
				? new PermanentDeliveryFailure(message, answer.aboutContactPoint(), cause)
				: new DeliveryFailure(answer.failureClass(), answer.aboutContactPoint(), message, cause);
	}

	public FailureClass failureClass() {
		return this.failureClass;
	}

	public boolean aboutContactPoint() {
		return this.aboutContactPoint;
	}

}
