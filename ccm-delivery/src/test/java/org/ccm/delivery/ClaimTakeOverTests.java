package org.ccm.delivery;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.ccm.core.Channel;
import org.ccm.core.CustomerProfile;
import org.ccm.core.Purpose;
import org.ccm.delivery.testing.DatabaseOutage;
import org.ccm.templates.Composition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.willAnswer;

/**
 * The database lost between claiming a delivery and calling the provider. The worker
 * reads what composing needs in the claim's transaction, so the message goes out all the
 * same; when composing itself needs the database, the attempt cannot even record its
 * failure, yet the retry takes the claim over and the message goes out once, instead of
 * waiting for the in-doubt check to park it.
 */
class ClaimTakeOverTests extends DeliveryIntegrationTest {

	@Autowired
	Deliveries deliveries;

	@Autowired
	DeadLetters deadLetters;

	@Autowired
	JdbcClient jdbc;

	@AfterEach
	void databaseBack() {
		DatabaseOutage.reset();
		composeAsUsual();
	}

	@Test
	void theDatabaseLostRightAfterTheClaimDoesNotHoldTheMessageBack() {
		CustomerProfile customer = reachableEverywhere(unique("db-lost"), List.of(Channel.EMAIL));
		DatabaseOutage.afterNextClaimFor(customer.id(), Duration.ofSeconds(3));

		UUID id = send(customer);

		// what composing needs was read in the claim's transaction: the provider
		// is called without the database, and the message is recorded sent once
		// it is back
		DeliveryView email = on(settled(id), Channel.EMAIL);
		assertThat(DatabaseOutage.refusedAny()).as("the worker lost the database after its claim").isTrue();
		assertThat(email.status()).isEqualTo(DeliveryStatus.SENT);
		assertThat(email.history()).extracting(StatusChange::status)
			.containsExactly(DeliveryStatus.QUEUED, DeliveryStatus.SENDING, DeliveryStatus.SENT);
		assertThat(ChannelDeliveryTests.receivedBy(customer.email().value())).hasSize(1);
		assertThat(this.deadLetters.list(1000)).noneMatch((letter) -> email.id().equals(letter.deliveryId()));
	}

	@Test
	void theDatabaseLostWhileComposingDelaysTheMessageButSendsItOnce() {
		CustomerProfile customer = reachableEverywhere(unique("db-lost-composing"), List.of(Channel.EMAIL));
		// this customer's documents read the database while composed, as a transactional
		// document's offers do
		willAnswer((call) -> {
			Composition composition = call.getArgument(0);
			if (composition.customer().id().equals(customer.id())) {
				this.jdbc.sql("SELECT 1").query(Integer.class).single();
			}
			return TestDocuments.compose(composition);
		}).given(this.compositions).compose(any());
		DatabaseOutage.afterNextClaimFor(customer.id(), Duration.ofSeconds(3));

		UUID id = send(customer);

		DeliveryView email = on(settled(id), Channel.EMAIL);
		assertThat(DatabaseOutage.refusedAny()).as("the worker lost the database after its claim").isTrue();
		assertThat(email.status()).isEqualTo(DeliveryStatus.SENT);
		// the first attempt could record nothing after its claim; the retry took it over
		assertThat(email.history()).extracting(StatusChange::status)
			.containsSubsequence(DeliveryStatus.QUEUED, DeliveryStatus.SENDING, DeliveryStatus.SENDING,
					DeliveryStatus.SENT)
			.doesNotContain(DeliveryStatus.TECHNICAL_FAILURE);
		assertThat(email.history()).filteredOn((change) -> change.status() == DeliveryStatus.SENDING)
			.extracting(StatusChange::reason)
			.containsExactly(null, Deliveries.TAKEN_OVER);
		assertThat(ChannelDeliveryTests.receivedBy(customer.email().value())).hasSize(1);
		assertThat(this.deadLetters.list(1000)).noneMatch((letter) -> email.id().equals(letter.deliveryId()));
	}

	@Test
	void theDatabaseLostRightAfterTheProviderTookTheMessageIsWaitedForAndTheMessageRecordedSent() {
		CustomerProfile customer = reachableEverywhere(unique("db-lost-sent"), List.of(Channel.EMAIL));
		DatabaseOutage.whileRecordingSentFor(customer.id(), Duration.ofSeconds(3));

		UUID id = send(customer);

		DeliveryView email = on(settled(id), Channel.EMAIL);
		assertThat(DatabaseOutage.refusedAny()).as("the worker lost the database after the provider call").isTrue();
		assertThat(email.status()).isEqualTo(DeliveryStatus.SENT);
		assertThat(email.history()).extracting(StatusChange::status)
			.containsSubsequence(DeliveryStatus.QUEUED, DeliveryStatus.SENDING, DeliveryStatus.SENT)
			.doesNotContain(DeliveryStatus.TECHNICAL_FAILURE, DeliveryStatus.TEMPORARY_FAILURE);
		assertThat(ChannelDeliveryTests.receivedBy(customer.email().value())).hasSize(1);
		assertThat(this.deadLetters.list(1000)).noneMatch((letter) -> email.id().equals(letter.deliveryId()));
	}

	@Test
	void aClaimIsTakenOverOnceAndOnlyWhenItIsNamedAsUnsent() {
		CustomerProfile customer = reachableEverywhere(unique("take-over"), List.of(Channel.EMAIL));
		UUID delivery = on(settled(send(customer)), Channel.EMAIL).id();
		UUID first = UUID.randomUUID();
		// as if a worker held it under "first" and stopped
		this.jdbc.sql("UPDATE delivery SET status = 'SENDING', claim = ? WHERE id = ?")
			.params(first, delivery)
			.update();
		try {
			assertThat(this.deliveries.claim(delivery, UUID.randomUUID(), List.of())).as("a plain redelivery")
				.isFalse();
			assertThat(this.deliveries.claim(delivery, UUID.randomUUID(), List.of(UUID.randomUUID())))
				.as("another attempt's claim")
				.isFalse();
			UUID second = UUID.randomUUID();
			assertThat(this.deliveries.claim(delivery, second, List.of(first))).as("the retry of the unsent attempt")
				.isTrue();
			assertThat(this.deliveries.claim(delivery, UUID.randomUUID(), List.of(first)))
				.as("a copy of the same retry record")
				.isFalse();
			assertThat(
					this.jdbc.sql("SELECT claim FROM delivery WHERE id = ?").param(delivery).query(UUID.class).single())
				.isEqualTo(second);
		}
		finally {
			this.jdbc.sql("UPDATE delivery SET status = 'SENT', claim = NULL WHERE id = ?").param(delivery).update();
		}
	}

	private UUID send(CustomerProfile customer) {
		return this.communications
			.accept(new SendRequest(customer.externalId(), "invoice", Purpose.TRANSACTIONAL,
					Map.of("invoiceNumber", "INV-" + UUID.randomUUID()), null), unique("key"), "client-a")
			.communicationId();
	}

}
