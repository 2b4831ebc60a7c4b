package org.ccm.delivery;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.ccm.core.Channel;
import org.ccm.core.ConsentState;
import org.ccm.core.ContactPoint;
import org.ccm.core.ContactState;
import org.ccm.core.CustomerProfile;
import org.ccm.core.CustomerStatus;
import org.ccm.core.PostalAddress;
import org.ccm.core.Purpose;
import org.ccm.core.QuietHours;
import org.ccm.core.Topic;
import org.ccm.delivery.RoutingPolicy.Decision;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RoutingPolicyTests {

	static final ZoneId PARIS = ZoneId.of("Europe/Paris");

	static final Set<Channel> ALL = Set.of(Channel.values());

	/** 14:00 in Paris. */
	static final Instant AFTERNOON = Instant.parse("2026-11-23T13:00:00Z");

	/** 23:30 in Paris. */
	static final Instant NIGHT = Instant.parse("2026-11-23T22:30:00Z");

	final RoutingPolicy policy = new RoutingPolicy(new DeliveryProperties.Marketing(LocalTime.of(21, 0),
			LocalTime.of(8, 0), List.of(Channel.EMAIL, Channel.SMS), 2, 3, Duration.ofMinutes(1)));

	@Test
	void goesToTheFirstUsableChannelOfThePreference() {
		CustomerProfile customer = customer(null, "+447911123456", null, List.of());
		List<Decision> decisions = this.policy.firstUsable(customer, Purpose.TRANSACTIONAL,
				List.of(Channel.EMAIL, Channel.SMS, Channel.PORTAL), AFTERNOON, List.of(), ALL);
		assertThat(decisions).containsExactly(
				new Decision(Channel.EMAIL, DeliveryStatus.FELL_BACK, "no reachable contact point for email", null),
				new Decision(Channel.SMS, DeliveryStatus.QUEUED, null, null));
	}

	@Test
	void aBouncedAddressIsNotUsable() {
		CustomerProfile customer = customer(new ContactPoint("ada@example.com", ContactState.BOUNCED), null, null,
				List.of());
		assertThat(this.policy.firstUsable(customer, Purpose.TRANSACTIONAL, List.of(Channel.EMAIL, Channel.PORTAL),
				AFTERNOON, List.of(), ALL))
			.extracting(Decision::channel, Decision::status)
			.containsExactly(org.assertj.core.groups.Tuple.tuple(Channel.EMAIL, DeliveryStatus.FELL_BACK),
					org.assertj.core.groups.Tuple.tuple(Channel.PORTAL, DeliveryStatus.QUEUED));
	}

	@Test
	void nothingUsableSuppressesEveryCandidate() {
		CustomerProfile customer = customer(null, null, null, List.of());
		assertThat(this.policy.firstUsable(customer, Purpose.TRANSACTIONAL, List.of(Channel.EMAIL, Channel.SMS),
				AFTERNOON, List.of(), ALL))
			.extracting(Decision::status)
			.containsExactly(DeliveryStatus.SUPPRESSED, DeliveryStatus.SUPPRESSED);
	}

	@Test
	void namedChannelsAreEachUsedOrSuppressed() {
		CustomerProfile customer = customer(email(), null, null, List.of());
		assertThat(this.policy.each(customer, Purpose.TRANSACTIONAL,
				List.of(Channel.EMAIL, Channel.SMS, Channel.PORTAL), AFTERNOON, List.of(), ALL))
			.extracting(Decision::status)
			.containsExactly(DeliveryStatus.QUEUED, DeliveryStatus.SUPPRESSED, DeliveryStatus.QUEUED);
	}

	@Test
	void marketingNeedsAnExplicitGrantWhileTransactionalNeedsNoObjection() {
		CustomerProfile customer = customer(email(), null, null,
				List.of(consent(Channel.PORTAL, Purpose.MARKETING, true),
						consent(Channel.EMAIL, Purpose.TRANSACTIONAL, false)));
		assertThat(this.policy.firstUsable(customer, Purpose.MARKETING, List.of(Channel.EMAIL, Channel.PORTAL),
				AFTERNOON, List.of(), ALL))
			.containsExactly(
					new Decision(Channel.EMAIL, DeliveryStatus.FELL_BACK, "no consent for marketing on email", null),
					new Decision(Channel.PORTAL, DeliveryStatus.QUEUED, null, null));
		assertThat(this.policy.firstUsable(customer, Purpose.TRANSACTIONAL, List.of(Channel.EMAIL, Channel.PORTAL),
				AFTERNOON, List.of(), ALL))
			.extracting(Decision::status)
			.containsExactly(DeliveryStatus.FELL_BACK, DeliveryStatus.QUEUED);
	}

	@Test
	void aPauseTheCustomerChoseDefersMarketingUntilItEndsButNotTransactionalDocuments() {
		CustomerProfile granted = customer(email(), null, null,
				List.of(consent(Channel.PORTAL, Purpose.MARKETING, true)));
		Instant until = AFTERNOON.plus(Duration.ofDays(10));
		CustomerProfile paused = new CustomerProfile(granted.id(), granted.externalId(), granted.name(),
				granted.locale(), granted.timeZone(), granted.status(), granted.email(), granted.phone(),
				granted.postalAddress(), granted.attributes(), granted.channelPreferences(), null, granted.consents(),
				granted.createdAt(), granted.updatedAt(), until);
		assertThat(
				this.policy.firstUsable(paused, Purpose.MARKETING, List.of(Channel.PORTAL), AFTERNOON, List.of(), ALL))
			.containsExactly(
					new Decision(Channel.PORTAL, DeliveryStatus.DEFERRED, "marketing paused by the customer", until));
		assertThat(this.policy.firstUsable(paused, Purpose.TRANSACTIONAL, List.of(Channel.PORTAL), AFTERNOON, List.of(),
				ALL))
			.containsExactly(new Decision(Channel.PORTAL, DeliveryStatus.QUEUED, null, null));
		// once the pause is over marketing goes out again
		assertThat(this.policy.firstUsable(paused, Purpose.MARKETING, List.of(Channel.PORTAL), until, List.of(), ALL))
			.extracting(Decision::status)
			.containsExactly(DeliveryStatus.QUEUED);
	}

	@Test
	void quietHoursDeferMarketingOnInterruptingChannelsUntilTheyEnd() {
		CustomerProfile customer = customer(email(), null, new QuietHours(LocalTime.of(22, 0), LocalTime.of(7, 30)),
				List.of(consent(Channel.EMAIL, Purpose.MARKETING, true),
						consent(Channel.PORTAL, Purpose.MARKETING, true)));
		assertThat(this.policy.firstUsable(customer, Purpose.MARKETING, List.of(Channel.EMAIL), NIGHT, List.of(), ALL))
			.containsExactly(new Decision(Channel.EMAIL, DeliveryStatus.DEFERRED, "quiet hours",
					Instant.parse("2026-11-24T06:30:00Z")));
		assertThat(this.policy.firstUsable(customer, Purpose.MARKETING, List.of(Channel.PORTAL), NIGHT, List.of(), ALL))
			.extracting(Decision::status)
			.containsExactly(DeliveryStatus.QUEUED);
		assertThat(
				this.policy.firstUsable(customer, Purpose.TRANSACTIONAL, List.of(Channel.EMAIL), NIGHT, List.of(), ALL))
			.extracting(Decision::status)
			.containsExactly(DeliveryStatus.QUEUED);
		assertThat(
				this.policy.firstUsable(customer, Purpose.MARKETING, List.of(Channel.EMAIL), AFTERNOON, List.of(), ALL))
			.extracting(Decision::status)
			.containsExactly(DeliveryStatus.QUEUED);
	}

	@Test
	void customersWithoutQuietHoursGetTheConfiguredOnes() {
		CustomerProfile customer = customer(email(), null, null,
				List.of(consent(Channel.EMAIL, Purpose.MARKETING, true)));
		assertThat(this.policy.firstUsable(customer, Purpose.MARKETING, List.of(Channel.EMAIL), NIGHT, List.of(), ALL))
			.containsExactly(new Decision(Channel.EMAIL, DeliveryStatus.DEFERRED, "quiet hours",
					Instant.parse("2026-11-24T07:00:00Z")));
	}

	@Test
	void frequencyCapsDeferMarketingUntilTheRollingWindowHasRoom() {
		CustomerProfile customer = customer(email(), null, null,
				List.of(consent(Channel.EMAIL, Purpose.MARKETING, true)));
		Instant tenHoursAgo = AFTERNOON.minus(Duration.ofHours(10));
		Instant twoHoursAgo = AFTERNOON.minus(Duration.ofHours(2));
		assertThat(this.policy.firstUsable(customer, Purpose.MARKETING, List.of(Channel.EMAIL), AFTERNOON,
				List.of(tenHoursAgo), ALL))
			.extracting(Decision::status)
			.containsExactly(DeliveryStatus.QUEUED);
		assertThat(this.policy.firstUsable(customer, Purpose.MARKETING, List.of(Channel.EMAIL), AFTERNOON,
				List.of(tenHoursAgo, twoHoursAgo), ALL))
			.containsExactly(new Decision(Channel.EMAIL, DeliveryStatus.DEFERRED, "frequency cap",
					tenHoursAgo.plus(Duration.ofDays(1))));
		Instant fiveDaysAgo = AFTERNOON.minus(Duration.ofDays(5));
		assertThat(this.policy.firstUsable(customer, Purpose.MARKETING, List.of(Channel.EMAIL), AFTERNOON,
				List.of(fiveDaysAgo, AFTERNOON.minus(Duration.ofDays(4)), AFTERNOON.minus(Duration.ofDays(3))), ALL))
			.containsExactly(new Decision(Channel.EMAIL, DeliveryStatus.DEFERRED, "frequency cap",
					fiveDaysAgo.plus(Duration.ofDays(7))));
		assertThat(this.policy.firstUsable(customer, Purpose.TRANSACTIONAL, List.of(Channel.EMAIL), AFTERNOON,
				List.of(tenHoursAgo, twoHoursAgo), ALL))
			.extracting(Decision::status)
			.containsExactly(DeliveryStatus.QUEUED);
	}

	@Test
	void channelsTheTemplateCannotComposeAreNotUsed() {
		CustomerProfile customer = customer(email(), "+447911123456", null, List.of());
		assertThat(this.policy.firstUsable(customer, Purpose.TRANSACTIONAL, List.of(Channel.SMS, Channel.EMAIL),
				AFTERNOON, List.of(), Set.of(Channel.EMAIL, Channel.PRINT)))
			.containsExactly(
					new Decision(Channel.SMS, DeliveryStatus.FELL_BACK, "the template has no sms version", null),
					new Decision(Channel.EMAIL, DeliveryStatus.QUEUED, null, null));
	}

	@Test
	void anInactiveCustomerGetsNothing() {
		CustomerProfile active = customer(email(), null, null, List.of());
		CustomerProfile inactive = new CustomerProfile(active.id(), active.externalId(), active.name(), active.locale(),
				active.timeZone(), CustomerStatus.INACTIVE, active.email(), null, null, Map.of(), Map.of(), null,
				List.of(), active.createdAt(), active.updatedAt());
		assertThat(this.policy.each(inactive, Purpose.TRANSACTIONAL, List.of(Channel.EMAIL), AFTERNOON, List.of(), ALL))
			.containsExactly(new Decision(Channel.EMAIL, DeliveryStatus.SUPPRESSED, "customer is inactive", null));
	}

	@Test
	void marketingAboutATopicTheCustomerOptedOutOfIsRefusedUnlessTheTopicIsMandatory() {
		Topic newsletter = new Topic("newsletter", false, Map.of("en", "Newsletter"));
		Topic notices = new Topic("service-notices", true, Map.of("en", "Service notices"));
		Set<String> optedOut = Set.of("newsletter", "service-notices");
		assertThat(RoutingPolicy.topicRefusal(Purpose.MARKETING, newsletter, optedOut))
			.isEqualTo("the customer opted out of the topic newsletter");
		assertThat(RoutingPolicy.topicRefusal(Purpose.MARKETING, notices, optedOut)).as("mandatory").isNull();
		assertThat(RoutingPolicy.topicRefusal(Purpose.TRANSACTIONAL, newsletter, optedOut)).as("owed").isNull();
		assertThat(RoutingPolicy.topicRefusal(Purpose.MARKETING, newsletter, Set.of())).isNull();
		assertThat(RoutingPolicy.topicRefusal(Purpose.MARKETING, null, optedOut)).as("no topic").isNull();
		assertThat(RoutingPolicy.refused(List.of(Channel.EMAIL, Channel.SMS), "why")).containsExactly(
				new Decision(Channel.EMAIL, DeliveryStatus.SUPPRESSED, "why", null),
				new Decision(Channel.SMS, DeliveryStatus.SUPPRESSED, "why", null));
	}

	static ContactPoint email() {
		return new ContactPoint("ada@example.com", ContactState.VERIFIED);
	}

	static ConsentState consent(Channel channel, Purpose purpose, boolean granted) {
		return new ConsentState(channel, purpose, granted, "test", AFTERNOON);
	}

	static CustomerProfile customer(@Nullable ContactPoint email, @Nullable String phone,
			@Nullable QuietHours quietHours, List<ConsentState> consents) {
		return new CustomerProfile(UUID.randomUUID(), "c-1", "Ada", Locale.FRENCH, PARIS, CustomerStatus.ACTIVE, email,
				(phone != null) ? new ContactPoint(phone, ContactState.VERIFIED) : null,
				new PostalAddress(List.of("1 rue de Rivoli"), "75001", "Paris", "FR", ContactState.VERIFIED), Map.of(),
				Map.of(), quietHours, consents, AFTERNOON, AFTERNOON);
	}

}
