package org.ccm.core;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.ccm.core.CustomerChange.Audit;
import org.ccm.core.FieldsGiven.Field;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CustomerChangeTests {

	static final UUID ID = UUID.fromString("0190a000-0000-7000-8000-000000000001");

	static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

	static final PostalAddress OXFORD = new PostalAddress(List.of("12 Orchard Lane"), "OX1 2JD", "Oxford", "GB",
			ContactState.UNVERIFIED);

	static CustomerProfile stored() {
		return new CustomerProfile(ID, "C-1", "Alice Martin", Locale.forLanguageTag("en-GB"),
				ZoneId.of("Europe/London"), CustomerStatus.ACTIVE,
				new ContactPoint("alice@example.com", ContactState.BOUNCED),
				new ContactPoint("+447911123456", ContactState.VERIFIED),
				new PostalAddress(OXFORD.lines(), OXFORD.postcode(), OXFORD.city(), OXFORD.country(),
						ContactState.VERIFIED),
				Map.of("tier", "gold", "score", 5), Map.of(Purpose.TRANSACTIONAL, List.of(Channel.EMAIL)),
				new QuietHours(LocalTime.of(21, 0), LocalTime.of(8, 0)),
				List.of(new ConsentState(Channel.EMAIL, Purpose.MARKETING, true, "web form", T0)), T0, T0);
	}

	/**
	 * The stored customer's values as validated details, as an unchanged resend would
	 * give them.
	 */
	static ValidDetails same() {
		return new ValidDetails("Alice Martin", Locale.forLanguageTag("en-GB"), true, ZoneId.of("Europe/London"), true,
				"alice@example.com", "+447911123456", OXFORD, Map.of("tier", "gold", "score", new BigDecimal("5.0")),
				Map.of(Purpose.TRANSACTIONAL, List.of(Channel.EMAIL)),
				new QuietHours(LocalTime.of(21, 0), LocalTime.of(8, 0)), List.of());
	}

	static ValidDetails with(String email, @org.jspecify.annotations.Nullable String phone,
			Map<String, Object> attributes, List<ConsentChange> consents) {
		ValidDetails same = same();
		return new ValidDetails(same.name(), Locale.forLanguageTag("fr-FR"), false, ZoneId.of("UTC"), false, email,
				phone, same.address(), attributes, same.preferences(), same.quietHours(), consents);
	}

	@Test
	void aNewCustomerStartsActiveWithUnverifiedContactPoints() {
		ValidDetails details = with("bob@example.com", "+33612345678", Map.of("tier", "silver"),
				List.of(new ConsentChange(Channel.SMS, Purpose.MARKETING, true, "shop"),
						new ConsentChange(Channel.SMS, Purpose.MARKETING, true, "shop again")));

		CustomerChange change = CustomerChange.create(ID, "C-2", details);

		assertThat(change.created()).isTrue();
		assertThat(change.changes()).isTrue();
		CustomerRow row = change.next();
		assertThat(row.id()).isEqualTo(ID);
		assertThat(row.externalId()).isEqualTo("C-2");
		assertThat(row.status()).isEqualTo(CustomerStatus.ACTIVE);
		// a locale that was not given is the default the validation chose
		assertThat(row.locale()).isEqualTo(Locale.forLanguageTag("fr-FR"));
		assertThat(row.email()).isEqualTo(new ContactPoint("bob@example.com", ContactState.UNVERIFIED));
		assertThat(row.phone()).isEqualTo(new ContactPoint("+33612345678", ContactState.UNVERIFIED));
		// granting twice is one change
		assertThat(change.consentChanges()).extracting(ConsentChange::source).containsExactly("shop");
		assertThat(change.audit()).containsExactly(new Audit("customer", "CREATED"),
				new Audit("consent.SMS.MARKETING", "GRANTED"));
		assertThat(change.changedFieldsAndConsents()).containsExactly("customer", "consent.SMS.MARKETING");
		assertThat(change.interactions(T0)).singleElement()
			.satisfies((interaction) -> assertThat(interaction.type()).isEqualTo(InteractionType.CONSENT_CHANGED));
	}

	@Test
	void resendingTheSameDetailsChangesNothing() {
		CustomerChange change = CustomerChange.update(stored(), same(), FieldsGiven.ALL);

		assertThat(change.changes()).isFalse();
		assertThat(change.changedFields()).isEmpty();
		assertThat(change.audit()).isEmpty();
		// equal numbers keep their stored form, equal addresses their state
		assertThat(change.next().attributes()).containsEntry("score", 5);
		assertThat(change.next().address().state()).isEqualTo(ContactState.VERIFIED);
		assertThat(change.next()).isEqualTo(CustomerRow.of(stored()));
	}

	@Test
	void aWholeProfileReplacesEveryFieldButAnAbsentLocaleOrTimeZone() {
		ValidDetails details = with("alice@example.com", null, Map.of("tier", "platinum"), List.of());

		CustomerChange change = CustomerChange.update(stored(), details, FieldsGiven.ALL);

		assertThat(change.created()).isFalse();
		assertThat(change.changedFields()).containsExactlyInAnyOrder("phone", "attributes.tier", "attributes.score");
		CustomerRow row = change.next();
		assertThat(row.locale()).isEqualTo(Locale.forLanguageTag("en-GB"));
		assertThat(row.timeZone()).isEqualTo(ZoneId.of("Europe/London"));
		// the same email stays bounced
		assertThat(row.email()).isEqualTo(new ContactPoint("alice@example.com", ContactState.BOUNCED));
		assertThat(row.phone()).isNull();
		assertThat(row.attributes()).isEqualTo(Map.of("tier", "platinum"));
		assertThat(change.audit()).extracting(Audit::action).containsOnly("UPDATED");
	}

	@Test
	void anImportRowChangesOnlyTheFieldsItGives() {
		ValidDetails details = new ValidDetails("Alice Smith", Locale.forLanguageTag("fr-FR"), true, ZoneId.of("UTC"),
				false, "new@example.com", null, null, Map.of(), Map.of(), null, List.of());
		FieldsGiven given = new FieldsGiven(EnumSet.of(Field.LOCALE, Field.TIME_ZONE, Field.EMAIL), Set.of("score"));

		CustomerChange change = CustomerChange.update(stored(), details, given);

		assertThat(change.changedFields()).containsExactly("name", "locale", "email", "attributes.score");
		CustomerRow row = change.next();
		assertThat(row.email()).isEqualTo(new ContactPoint("new@example.com", ContactState.UNVERIFIED));
		// an empty time zone cell keeps the stored one; columns the file lacks keep
		// theirs
		assertThat(row.timeZone()).isEqualTo(ZoneId.of("Europe/London"));
		assertThat(row.phone()).isEqualTo(stored().phone());
		assertThat(row.address()).isEqualTo(stored().postalAddress());
		assertThat(row.preferences()).isEqualTo(stored().channelPreferences());
		assertThat(row.quietHours()).isEqualTo(stored().quietHours());
		// an empty attribute cell removes the attribute, others are kept
		assertThat(row.attributes()).isEqualTo(Map.of("tier", "gold"));
	}

	@Test
	void aNewAddressStartsUnverified() {
		PostalAddress moved = new PostalAddress(List.of("1 rue X"), "69001", "Lyon", "FR", ContactState.UNVERIFIED);
		ValidDetails same = same();
		ValidDetails details = new ValidDetails(same.name(), same.locale(), true, same.timeZone(), true, same.email(),
				same.phone(), moved, same.attributes(), same.preferences(), same.quietHours(), List.of());

		CustomerChange change = CustomerChange.update(stored(), details, FieldsGiven.ALL);

		assertThat(change.changedFields()).containsExactly("postalAddress");
		assertThat(change.next().address()).isEqualTo(moved);
	}

	@Test
	void onlyConsentsThatDifferFromTheCurrentStateAreChanges() {
		ValidDetails details = with("alice@example.com", "+447911123456", Map.of("tier", "gold", "score", 5),
				List.of(new ConsentChange(Channel.EMAIL, Purpose.MARKETING, true, "again"),
						new ConsentChange(Channel.EMAIL, Purpose.MARKETING, false, "unsubscribe"),
						new ConsentChange(Channel.EMAIL, Purpose.MARKETING, true, "changed mind")));
		FieldsGiven nameOnly = new FieldsGiven(Set.of(), Set.of());

		CustomerChange change = CustomerChange.update(stored(), details, nameOnly);

		assertThat(change.changedFields()).isEmpty();
		assertThat(change.changes()).isTrue();
		assertThat(change.consentChanges()).extracting(ConsentChange::source)
			.containsExactly("unsubscribe", "changed mind");
		assertThat(change.audit()).containsExactly(new Audit("consent.EMAIL.MARKETING", "WITHDRAWN"),
				new Audit("consent.EMAIL.MARKETING", "GRANTED"));
		assertThat(change.changedFieldsAndConsents()).containsExactly("consent.EMAIL.MARKETING");
	}

}
