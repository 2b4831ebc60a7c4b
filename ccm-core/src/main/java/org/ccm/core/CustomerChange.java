package org.ccm.core;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

import org.ccm.core.FieldsGiven.Field;
import org.jspecify.annotations.Nullable;

/**
 * What one write does to a customer: the row it leaves, the fields it changed and the
 * consents it changed. Worked out here, without the database, for single upserts and
 * imports alike; {@link CustomerTable} stores the result.
 *
 * @param created whether the write creates the customer
 * @param changedFields changed fields ({@code name}, {@code attributes.tier}), or
 * {@code customer} for a new one; consent changes are not among them
 * @param consentChanges the consents that differ from the customer's current state, in
 * the order given
 */
record CustomerChange(CustomerRow next, boolean created, Set<String> changedFields,
		List<ConsentChange> consentChanges) {

	static final String CREATED = "CREATED";

	static final String UPDATED = "UPDATED";

	/**
	 * A new customer with the given details.
	 */
	static CustomerChange create(UUID id, String externalId, ValidDetails valid) {
		CustomerRow next = new CustomerRow(id, externalId, valid.name(), valid.locale(), valid.timeZone(),
				CustomerStatus.ACTIVE, contact(null, valid.email()), contact(null, valid.phone()), valid.address(),
				valid.attributes(), valid.preferences(), valid.quietHours());
		return new CustomerChange(next, true, Set.of("customer"), consentChanges(List.of(), valid.consents()));
	}

	/**
	 * The customer after the given fields are set to the details. A field that keeps its
	 * value keeps its stored form and state: an unchanged email that bounced stays
	 * bounced, a new one starts unverified.
	 */
	static CustomerChange update(CustomerProfile current, ValidDetails valid, FieldsGiven given) {
		Set<String> changed = new LinkedHashSet<>();
		String name = valid.name();
		if (!name.equals(current.name())) {
			changed.add("name");
		}
		Locale locale = (given.has(Field.LOCALE) && valid.localeGiven()) ? valid.locale() : current.locale();
		if (!locale.equals(current.locale())) {
			changed.add("locale");
		}
		ZoneId timeZone = (given.has(Field.TIME_ZONE) && valid.timeZoneGiven()) ? valid.timeZone() : current.timeZone();
		if (!timeZone.equals(current.timeZone())) {
			changed.add("timeZone");
		}
		ContactPoint email = current.email();
		if (given.has(Field.EMAIL) && !Objects.equals(value(email), valid.email())) {
			email = contact(email, valid.email());
			changed.add("email");
		}
		ContactPoint phone = current.phone();
		if (given.has(Field.PHONE) && !Objects.equals(value(phone), valid.phone())) {
			phone = contact(phone, valid.phone());
			changed.add("phone");
		}
		PostalAddress address = current.postalAddress();
		if (given.has(Field.ADDRESS) && !sameAddress(address, valid.address())) {
			address = valid.address();
			changed.add("postalAddress");
		}
		Map<String, Object> attributes = new LinkedHashMap<>(current.attributes());
		Set<String> attributeNames = given.attributes();
		if (attributeNames == null) {
			attributeNames = new LinkedHashSet<>(current.attributes().keySet());
			attributeNames.addAll(valid.attributes().keySet());
		}
		for (String attribute : attributeNames) {
			Object before = attributes.get(attribute);
			Object after = valid.attributes().get(attribute);
			if (Objects.equals(normalised(before), normalised(after))) {
				continue;
			}
			if (after != null) {
				attributes.put(attribute, after);
			}
			else {
				attributes.remove(attribute);
			}
			changed.add("attributes." + attribute);
		}
		Map<Purpose, List<Channel>> preferences = current.channelPreferences();
		if (given.has(Field.PREFERENCES) && !preferences.equals(valid.preferences())) {
			preferences = valid.preferences();
			changed.add("preferences");
		}
		QuietHours quietHours = current.quietHours();
		if (given.has(Field.QUIET_HOURS) && !Objects.equals(quietHours, valid.quietHours())) {
			quietHours = valid.quietHours();
			changed.add("quietHours");
		}
		CustomerRow next = new CustomerRow(current.id(), current.externalId(), name, locale, timeZone, current.status(),
				email, phone, address, attributes, preferences, quietHours);
		return new CustomerChange(next, false, changed, consentChanges(current.consents(), valid.consents()));
	}

	/**
	 * Whether the write changes anything the customer's readers can see.
	 */
	boolean changes() {
		return created || !changedFields.isEmpty() || !consentChanges.isEmpty();
	}

	/**
	 * The changed fields, then the changed consents ({@code consent.EMAIL.MARKETING}).
	 */
	Set<String> changedFieldsAndConsents() {
		Set<String> all = new LinkedHashSet<>(changedFields);
		consentChanges.forEach((change) -> all.add(consentField(change)));
		return all;
	}

	/**
	 * One audit entry per changed field and per consent change, in that order.
	 */
	List<Audit> audit() {
		List<Audit> entries = new ArrayList<>(changedFields.size() + consentChanges.size());
		changedFields.forEach((field) -> entries.add(new Audit(field, created ? CREATED : UPDATED)));
		consentChanges.forEach(
				(change) -> entries.add(new Audit(consentField(change), change.granted() ? "GRANTED" : "WITHDRAWN")));
		return entries;
	}

	/**
	 * The timeline entries that tell the customer's story: one per consent change.
	 */
	List<Interaction> interactions(Instant at) {
		if (consentChanges.isEmpty()) {
			return List.of();
		}
		return consentChanges.stream()
			.map((change) -> new Interaction(next.id(), InteractionType.CONSENT_CHANGED, change.channel(), null, null,
					at,
					Map.of("purpose", change.purpose().name(), "granted", change.granted(), "source", change.source())))
			.toList();
	}

	/**
	 * An audited field and what happened to it.
	 */
	record Audit(String field, String action) {
	}

	/**
	 * The requested consents that differ from the state before them, each compared with
	 * the state the previous ones left.
	 */
	static List<ConsentChange> consentChanges(List<ConsentState> current, List<ConsentChange> requested) {
		if (requested.isEmpty()) {
			return List.of();
		}
		Map<String, Boolean> state = new HashMap<>();
		current.forEach((consent) -> state.put(consent.channel() + "." + consent.purpose(), consent.granted()));
		List<ConsentChange> changes = new ArrayList<>();
		for (ConsentChange change : requested) {
			if (!Objects.equals(state.put(change.channel() + "." + change.purpose(), change.granted()),
					change.granted())) {
				changes.add(change);
			}
		}
		return changes;
	}

	private static String consentField(ConsentChange change) {
		return "consent." + change.channel() + "." + change.purpose();
	}

	private static @Nullable ContactPoint contact(@Nullable ContactPoint current, @Nullable String value) {
		if (value == null) {
			return null;
		}
		return (current != null && current.value().equals(value)) ? current
				: new ContactPoint(value, ContactState.UNVERIFIED);
	}

	private static @Nullable String value(@Nullable ContactPoint contact) {
		return (contact != null) ? contact.value() : null;
	}

	private static boolean sameAddress(@Nullable PostalAddress a, @Nullable PostalAddress b) {
		if (a == null || b == null) {
			return a == b;
		}
		return a.lines().equals(b.lines()) && a.postcode().equals(b.postcode()) && a.city().equals(b.city())
				&& a.country().equals(b.country());
	}

	// numbers come back from jsonb as Integer, Long or BigDecimal: compare by value
	private static @Nullable Object normalised(@Nullable Object value) {
		if (value instanceof Number number) {
			return new BigDecimal(number.toString()).stripTrailingZeros();
		}
		return value;
	}

}
