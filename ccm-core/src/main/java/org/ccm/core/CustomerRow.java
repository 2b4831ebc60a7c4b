package org.ccm.core;

import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * A customer's stored values, as a write leaves them. {@link CustomerTable} maps each
 * component to its column.
 */
record CustomerRow(UUID id, String externalId, String name, Locale locale, ZoneId timeZone, CustomerStatus status,
		@Nullable ContactPoint email, @Nullable ContactPoint phone, @Nullable PostalAddress address,
		Map<String, Object> attributes, Map<Purpose, List<Channel>> preferences, @Nullable QuietHours quietHours) {

	static CustomerRow of(CustomerProfile profile) {
		return new CustomerRow(profile.id(), profile.externalId(), profile.name(), profile.locale(), profile.timeZone(),
				profile.status(), profile.email(), profile.phone(), profile.postalAddress(), profile.attributes(),
				profile.channelPreferences(), profile.quietHours());
	}

}
