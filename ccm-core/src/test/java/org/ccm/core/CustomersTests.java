package org.ccm.core;

import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

@CoreTest
class CustomersTests {

	@Autowired
	Customers customers;

	@Autowired
	JdbcClient jdbc;

	static CustomerDetails alice() {
		return new CustomerDetails("Alice Martin", Locale.forLanguageTag("en-GB"), ZoneId.of("Europe/London"),
				" alice.martin@Example.COM ", "07911 123456",
				new PostalAddress(List.of("12 Orchard Lane"), "OX1 2JD", "Oxford", "gb", ContactState.UNVERIFIED),
				Map.of("tier", "gold"),
				Map.of(Purpose.TRANSACTIONAL, List.of(Channel.EMAIL, Channel.PRINT), Purpose.MARKETING,
						List.of(Channel.EMAIL)),
				new QuietHours(LocalTime.of(21, 0), LocalTime.of(8, 0)),
				List.of(new ConsentChange(Channel.EMAIL, Purpose.MARKETING, true, "web form")));
	}

	@Test
	void createsACustomerWithNormalisedContactPoints() {
		UpsertOutcome outcome = customers.upsert("CT-1", alice(), "crm");

		assertThat(outcome.created()).isTrue();
		CustomerProfile alice = customers.findByExternalId("CT-1").orElseThrow();
		assertThat(alice.id()).isEqualTo(outcome.customer().id());
		assertThat(alice.email()).isEqualTo(new ContactPoint("alice.martin@example.com", ContactState.UNVERIFIED));
		// a national number is read in the country of the address
		assertThat(alice.phone()).isEqualTo(new ContactPoint("+447911123456", ContactState.UNVERIFIED));
		assertThat(alice.postalAddress().country()).isEqualTo("GB");
		assertThat(alice.channelsFor(Purpose.TRANSACTIONAL)).containsExactly(Channel.EMAIL, Channel.PRINT);
		assertThat(alice.quietHours()).isEqualTo(new QuietHours(LocalTime.of(21, 0), LocalTime.of(8, 0)));
		assertThat(alice.attributes()).containsEntry("tier", "gold");
		assertThat(alice.consents(Channel.EMAIL, Purpose.MARKETING)).isTrue();
		assertThat(alice.consents(Channel.SMS, Purpose.MARKETING)).isFalse();
		assertThat(alice.locale()).isEqualTo(Locale.forLanguageTag("en-GB"));
		assertThat(alice.status()).isEqualTo(CustomerStatus.ACTIVE);
		assertThat(customers.findById(alice.id())).contains(alice);
	}

	@Test
	void updatesOnlyWhatChangedAndAuditsIt() {
		CustomerProfile created = customers.upsert("CT-2", alice());
		customers.markContactState(created.id(), Channel.EMAIL, ContactState.BOUNCED, "hard bounce");

		CustomerDetails moved = new CustomerDetails("Alice Martin", null, null, "alice.martin@example.com",
				"+44 7911 123457", alice().postalAddress(), Map.of("tier", "platinum"), alice().preferences(),
				alice().quietHours(), List.of());
		UpsertOutcome outcome = customers.upsert("CT-2", moved, "crm");

		assertThat(outcome.created()).isFalse();
		assertThat(outcome.changedFields()).containsExactlyInAnyOrder("phone", "attributes.tier");
		CustomerProfile updated = outcome.customer();
		// same email: it stays bounced; a new phone number starts unverified
		assertThat(updated.email().state()).isEqualTo(ContactState.BOUNCED);
		assertThat(updated.phone()).isEqualTo(new ContactPoint("+447911123457", ContactState.UNVERIFIED));
		assertThat(updated.locale()).isEqualTo(Locale.forLanguageTag("en-GB"));
		assertThat(updated.consents(Channel.EMAIL, Purpose.MARKETING)).isTrue();
		assertThat(customers.auditTrail(created.id()))
			.extracting(FieldChange::field, FieldChange::action, FieldChange::changedBy)
			.contains(org.assertj.core.groups.Tuple.tuple("phone", "UPDATED", "crm"),
					org.assertj.core.groups.Tuple.tuple("attributes.tier", "UPDATED", "crm"),
					org.assertj.core.groups.Tuple.tuple("email_state", "BOUNCED", "system: hard bounce"),
					org.assertj.core.groups.Tuple.tuple("customer", "CREATED", "system"));

		UpsertOutcome again = customers.upsert("CT-2", moved, "crm");
		assertThat(again.changedFields()).isEmpty();
	}

	@Test
	void rejectsInvalidDetailsWithAProblemPerFieldAndWritesNothing() {
		CustomerDetails bad = new CustomerDetails("Bob", null, null, "bob@@example", "+1 555", null,
				Map.of("tier", 3, "shoe_size", 44), Map.of(), null, List.of());

		assertThatExceptionOfType(InvalidCustomerException.class).isThrownBy(() -> customers.upsert("CT-3", bad))
			.satisfies((ex) -> assertThat(ex.problems()).containsOnlyKeys("email", "phone", "attributes.tier",
					"attributes.shoe_size"));
		assertThat(customers.findByExternalId("CT-3")).isEmpty();
		assertThat(jdbc.sql("SELECT count(*) FROM customer WHERE external_id = 'CT-3'").query(Long.class).single())
			.isZero();
	}

	@Test
	void keepsTheConsentHistoryAndAnswersTheCurrentState() {
		CustomerProfile created = customers.upsert("CT-4", alice());

		customers.recordConsent(created.id(), Channel.EMAIL, Purpose.MARKETING, false, "one-click unsubscribe");
		customers.recordConsent(created.id(), Channel.EMAIL, Purpose.MARKETING, false, "one-click unsubscribe");
		customers.recordConsent(created.id(), Channel.SMS, Purpose.MARKETING, true, "call centre");

		CustomerProfile now = customers.findById(created.id()).orElseThrow();
		assertThat(now.consents(Channel.EMAIL, Purpose.MARKETING)).isFalse();
		assertThat(now.consents(Channel.SMS, Purpose.MARKETING)).isTrue();
		assertThat(now.consents()).hasSize(2);
		// the repeated unsubscribe changed nothing, so it is not history
		assertThat(customers.consentHistory(created.id()))
			.extracting(ConsentRecord::channel, ConsentRecord::granted, ConsentRecord::source)
			.containsExactly(org.assertj.core.groups.Tuple.tuple(Channel.SMS, true, "call centre"),
					org.assertj.core.groups.Tuple.tuple(Channel.EMAIL, false, "one-click unsubscribe"),
					org.assertj.core.groups.Tuple.tuple(Channel.EMAIL, true, "web form"));
	}

	@Test
	void unknownCustomerIdsAreReported() {
		assertThatExceptionOfType(UnknownCustomerException.class).isThrownBy(() -> customers
			.recordConsent(java.util.UUID.randomUUID(), Channel.EMAIL, Purpose.MARKETING, false, "unsubscribe"));
		assertThat(customers.findById(java.util.UUID.randomUUID())).isEmpty();
	}

	@Test
	void aCustomersConsentsAreReadWithAPlanPostgresqlKeeps(@Autowired PlatformTransactionManager transactions) {
		CustomerProfile alice = customers.upsert("CT-PLAN", alice());
		// one connection: the driver prepares the statement on the server after five uses
		List<Long> genericPlans = new TransactionTemplate(transactions).execute((status) -> {
			for (int i = 0; i < 15; i++) {
				assertThat(customers.findById(alice.id()).orElseThrow().consents(Channel.EMAIL, Purpose.MARKETING))
					.isTrue();
			}
			return jdbc.sql("""
					SELECT generic_plans FROM pg_prepared_statements
					 WHERE statement LIKE '%FROM consent_event WHERE customer_id = $1%'""").query(Long.class).list();
		});
		// read for every message sent: planned once, not on every call
		assertThat(genericPlans).singleElement().satisfies((plans) -> assertThat(plans).isPositive());
	}

}
