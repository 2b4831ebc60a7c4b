package org.ccm.core;

import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What a back-office system (or the demo data) says about a customer when creating or
 * updating them. Contact points are validated: email syntax, phone numbers as E.164.
 *
 * @param preferences ordered channels per purpose, most preferred first
 */
public record CustomerDetails(String name, @Nullable Locale locale, @Nullable ZoneId timeZone, @Nullable String email,
		@Nullable String phone, @Nullable PostalAddress postalAddress, Map<String, Object> attributes,
		Map<Purpose, List<Channel>> preferences, @Nullable QuietHours quietHours, List<ConsentChange> consents) {

}
