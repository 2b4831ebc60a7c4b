package org.ccm.core;

import java.time.LocalTime;

/**
 * A daily window, in the customer's time zone, in which nothing but urgent transactional
 * messages may be delivered on interrupting channels (SMS, email). The window may wrap
 * midnight.
 */
public record QuietHours(LocalTime start, LocalTime end) {

	public boolean contains(LocalTime time) {
		if (start.equals(end)) {
			return false;
		}
		return start.isBefore(end) ? !time.isBefore(start) && time.isBefore(end)
				: !time.isBefore(start) || time.isBefore(end);
	}

}
