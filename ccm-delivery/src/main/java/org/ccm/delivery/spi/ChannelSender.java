package org.ccm.delivery.spi;

import org.ccm.core.Channel;

/**
 * Hands a composed document to the provider of one channel. The delivery has already been
 * claimed when this is called, so an implementation never needs to guard against sending
 * twice.
 * <p>
 * A {@link PermanentDeliveryFailure} means the provider refused the message for good (the
 * communication then falls back to the customer's next channel); any other exception is
 * retried and, after the last attempt, parked as a dead letter.
 */
public interface ChannelSender {

	Channel channel();

	/**
	 * The provider's name as metrics show it ({@code provider} tag), such as {@code smtp}
	 * or {@code twilio}.
	 */
	default String provider() {
		return channel().name().toLowerCase(java.util.Locale.ROOT);
	}

	SentDocument send(OutgoingMessage message);

}
