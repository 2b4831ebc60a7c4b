package org.ccm.core;

import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Customer details checked and normalised by {@link CustomerValidation}: E.164 phone,
 * trimmed email, defaults applied.
 *
 * @param localeGiven whether the locale was given, or is the default
 * @param timeZoneGiven whether the time zone was given, or is the default
 */
record ValidDetails(String name, Locale locale, boolean localeGiven, ZoneId timeZone, boolean timeZoneGiven,
		@Nullable String email, @Nullable String phone, @Nullable PostalAddress address, Map<String, Object> attributes,
		Map<Purpose, List<Channel>> preferences, @Nullable QuietHours quietHours, List<ConsentChange> consents) {

}
