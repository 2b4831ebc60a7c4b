package org.ccm.campaigns;

import java.util.Set;

import org.ccm.delivery.DeliveryStatus;
import org.ccm.delivery.DeliveryStatusChanged;
import org.ccm.tracking.MachineTrafficRecorded;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Follows delivery's status changes, and tracking's machine opens and clicks, for
 * campaign communications. Deliberately a plain, synchronous listener: it runs in
 * delivery's transaction as one indexed update (none for communications that are not a
 * campaign's), so no status change is lost and no event publication is stored per change.
 */
@Component
class DeliveryReports {

	/** Statuses that may settle a recipient that was not sent: looked at after commit. */
	private static final Set<DeliveryStatus> SETTLING = Set.of(DeliveryStatus.SUPPRESSED,
			DeliveryStatus.PERMANENT_FAILURE, DeliveryStatus.TECHNICAL_FAILURE, DeliveryStatus.FELL_BACK,
			DeliveryStatus.DEFERRED);

	private final Recipients recipients;

	DeliveryReports(Recipients recipients) {
		this.recipients = recipients;
	}

	@EventListener
	void on(DeliveryStatusChanged changed) {
		int engagement = engagement(changed.status());
		if (engagement > 0 || SETTLING.contains(changed.status())) {
			this.recipients.reported(changed.communicationId(), engagement, changed.channel());
		}
	}

	/** Machine opens and clicks go beside the recipient's own engagement, not into it. */
	@EventListener
	void on(MachineTrafficRecorded recorded) {
		this.recipients.machineTraffic(recorded.communicationId(), recorded.opens(), recorded.clicks());
	}

	static int engagement(DeliveryStatus status) {
		return switch (status) {
			case SENT -> 1;
			case DELIVERED -> 2;
			case OPENED -> 3;
			case CLICKED -> 4;
			case RESPONDED -> 5;
			default -> 0;
		};
	}

}
