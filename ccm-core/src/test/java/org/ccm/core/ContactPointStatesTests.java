package org.ccm.core;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * A contact point marked after a refusal keeps why and since when, shows on the timeline,
 * stops being reachable, and is cleared only with a reason.
 */
@CoreTest
@RecordApplicationEvents
class ContactPointStatesTests {

	@Autowired
	Customers customers;

	@Autowired
	Timeline timeline;

	@Autowired
	ApplicationEvents events;

	@Test
	void anInvalidNumberIsMarkedWithItsReasonAndClearedWithAnother() {
		CustomerProfile customer = customers.upsert("CPS-1", CustomersTests.alice());
		customers.markContactState(customer.id(), Channel.SMS, ContactState.INVALID,
				"the phone number is not valid (Twilio 400, code 21211)");

		CustomerProfile marked = customers.findById(customer.id()).orElseThrow();
		assertThat(marked.reachableOn(Channel.SMS)).isFalse();
		assertThat(marked.reachableOn(Channel.EMAIL)).isTrue();
		ContactPointState sms = state(customer, Channel.SMS);
		assertThat(sms.state()).isEqualTo(ContactState.INVALID);
		assertThat(sms.suppressed()).isTrue();
		assertThat(sms.reason()).contains("21211");
		assertThat(sms.since()).isNotNull();
		assertThat(timeline.page(customer.id(), null, 10).entries()).anySatisfy((entry) -> {
			assertThat(entry.type()).isEqualTo(InteractionType.CONTACT_POINT_SUPPRESSED);
			assertThat(entry.channel()).isEqualTo(Channel.SMS);
			assertThat(entry.detail()).containsEntry("state", "INVALID");
		});

		assertThatIllegalArgumentException()
			.isThrownBy(() -> customers.clearContactState(customer.id(), Channel.SMS, " ", "ops"));
		assertThat(customers.clearContactState(customer.id(), Channel.EMAIL, "not suppressed", "ops")).isFalse();
		assertThat(customers.clearContactState(customer.id(), Channel.SMS, "number confirmed by phone", "ops"))
			.isTrue();

		assertThat(customers.findById(customer.id()).orElseThrow().reachableOn(Channel.SMS)).isTrue();
		assertThat(state(customer, Channel.SMS).state()).isEqualTo(ContactState.UNVERIFIED);
		assertThat(events.stream(ContactPointCleared.class)).singleElement()
			.isEqualTo(new ContactPointCleared(customer.id(), "CPS-1", Channel.SMS, ContactState.INVALID,
					"number confirmed by phone", "ops"));
		assertThat(customers.auditTrail(customer.id())).extracting(FieldChange::action, FieldChange::changedBy)
			.contains(org.assertj.core.groups.Tuple.tuple("cleared INVALID", "ops: number confirmed by phone"));
	}

	private ContactPointState state(CustomerProfile customer, Channel channel) {
		List<ContactPointState> points = customers.contactPoints(customer.id());
		assertThat(points).extracting(ContactPointState::channel)
			.containsExactly(Channel.EMAIL, Channel.SMS, Channel.PRINT);
		return points.stream().filter((point) -> point.channel() == channel).findFirst().orElseThrow();
	}

}
