package org.ccm.tracking;

import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * A bounce or a complaint as reported for one delivery, whoever reported it.
 *
 * @param reference what makes the report unique at its source (the report's Message-ID, a
 * provider's event id), so that a report read twice counts once
 * @param kind hard or soft bounce, or complaint
 * @param deliveryId the delivery it is about, when the report names one
 * @param recipient the address that bounced or complained
 * @param status the enhanced status code (RFC 3463) or the provider's code
 * @param detail the remote server's diagnostic or the complaint's feedback type
 */
record Bounce(String reference, Kind kind, @Nullable UUID deliveryId, @Nullable String recipient,
		@Nullable String status, @Nullable String detail) {

	enum Kind {

		/** The address does not exist or refuses for good (5.x.x, action failed). */
		HARD,
		/** A temporary refusal (4.x.x, or a delay): counted, suppressed after several. */
		SOFT,
		/** The recipient reported the message as spam. */
		COMPLAINT

	}

}
