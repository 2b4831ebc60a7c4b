package org.ccm.core;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Checks customer details the same way for an upsert and for an import row. Thread-safe:
 * imports validate on several threads.
 */
@Component
class CustomerValidation {

	private final CustomerAttributes attributes;

	private final CoreProperties properties;

	CustomerValidation(CustomerAttributes attributes, CoreProperties properties) {
		this.attributes = attributes;
		this.properties = properties;
	}

	/**
	 * The details checked and normalised; a message per field is added to
	 * {@code problems} for what is invalid, and the result is meaningless then.
	 */
	ValidDetails validate(String externalId, CustomerDetails details, Map<String, String> problems) {
		if (externalId.isBlank() || externalId.length() > 200) {
			problems.put("externalId", "must be 1 to 200 characters");
		}
		String name = details.name() != null ? details.name().strip() : "";
		if (name.isEmpty() || name.length() > 500) {
			problems.put("name", "must be 1 to 500 characters");
		}
		Locale locale = details.locale() != null ? details.locale() : properties.defaults().locale();
		if (details.locale() != null && details.locale().getLanguage().isEmpty()) {
			problems.put("locale", "must be a BCP 47 language tag such as en-GB");
		}
		ZoneId timeZone = details.timeZone() != null ? details.timeZone() : properties.defaults().timeZone();
		String email = null;
		if (details.email() != null && !details.email().isBlank()) {
			email = ContactValidation.email(details.email()).orElse(null);
			if (email == null) {
				problems.put("email", "is not a valid email address");
			}
		}
		PostalAddress address = details.postalAddress();
		if (address != null) {
			address = validAddress(address, problems);
		}
		String phone = null;
		if (details.phone() != null && !details.phone().isBlank()) {
			String region = (address != null) ? address.country()
					: !locale.getCountry().isEmpty() ? locale.getCountry() : properties.defaults().phoneRegion();
			phone = ContactValidation.phone(details.phone(), region).orElse(null);
			if (phone == null) {
				problems.put("phone", "is not a valid phone number (E.164, e.g. +447911123456)");
			}
		}
		Map<String, Object> attributeValues = new LinkedHashMap<>();
		if (details.attributes() != null) {
			details.attributes().forEach((key, value) -> {
				if (value != null) {
					attributeValues.put(key, value);
				}
			});
			problems.putAll(attributes.problems(details.attributes()));
		}
		Map<Purpose, List<Channel>> preferences = new EnumMap<>(Purpose.class);
		if (details.preferences() != null) {
			details.preferences().forEach((purpose, channels) -> {
				if (purpose == null || channels == null) {
					return;
				}
				if (channels.stream().anyMatch(Objects::isNull)
						|| new LinkedHashSet<>(channels).size() != channels.size()) {
					problems.put("preferences." + purpose, "must list each channel at most once");
				}
				else if (!channels.isEmpty()) {
					preferences.put(purpose, List.copyOf(channels));
				}
			});
		}
		List<ConsentChange> consents = (details.consents() != null) ? details.consents() : List.of();
		for (int i = 0; i < consents.size(); i++) {
			ConsentChange consent = consents.get(i);
			if (consent == null || consent.channel() == null || consent.purpose() == null) {
				problems.put("consents[" + i + "]", "needs a channel and a purpose");
			}
			else if (consent.source() == null || consent.source().isBlank()) {
				problems.put("consents[" + i + "].source", "must say where the consent came from");
			}
		}
		QuietHours quietHours = details.quietHours();
		if (quietHours != null && (quietHours.start() == null || quietHours.end() == null)) {
			problems.put("quietHours", "needs a start and an end");
			quietHours = null;
		}
		return new ValidDetails(name, locale, details.locale() != null, timeZone, details.timeZone() != null, email,
				phone, address, attributeValues, preferences, quietHours, consents);
	}

	private static @Nullable PostalAddress validAddress(PostalAddress address, Map<String, String> problems) {
		// a loop, not a stream: imports check an address per row
		List<String> lines = new ArrayList<>((address.lines() != null) ? address.lines().size() : 0);
		if (address.lines() != null) {
			for (String given : address.lines()) {
				String line = (given != null) ? given.replace("\u001F", "").strip() : "";
				if (!line.isEmpty()) {
					lines.add(line);
				}
			}
		}
		if (lines.isEmpty()) {
			problems.put("postalAddress.lines", "must have at least one line");
		}
		if (address.city() == null || address.city().isBlank()) {
			problems.put("postalAddress.city", "must not be blank");
		}
		if (address.country() == null || !ContactValidation.isCountry(address.country())) {
			problems.put("postalAddress.country", "must be an ISO 3166-1 alpha-2 country code such as GB");
			return null;
		}
		return new PostalAddress(lines, address.postcode() != null ? address.postcode().strip() : "",
				address.city() != null ? address.city().strip() : "", address.country().toUpperCase(Locale.ROOT),
				address.state() != null ? address.state() : ContactState.UNVERIFIED);
	}

}
