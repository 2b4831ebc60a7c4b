package org.ccm.delivery;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.ccm.core.Channel;
import org.ccm.core.ConsentChange;
import org.ccm.core.CustomerErased;
import org.ccm.core.CustomerProfile;
import org.ccm.core.InteractionType;
import org.ccm.core.Purpose;
import org.ccm.core.QuietHours;
import org.ccm.core.Timeline;
import org.ccm.core.TimelineEntry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Routing on the running module: preference order, fallback after a provider refused a
 * message, retries of provider errors, deferral and engagement reported later.
 */
class RoutingTests extends DeliveryIntegrationTest {

	@Autowired
	Router router;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	Timeline timeline;

	@Autowired
	PortalInbox inbox;

	@Autowired
	DeliveryWorker worker;

	@Autowired
	Deliveries deliveries;

	@Autowired
	DeadLetters deadLetters;

	@Autowired
	org.springframework.transaction.support.TransactionTemplate transaction;

	@Autowired
	org.springframework.context.ApplicationEventPublisher events;

	@Test
	void aTransactionalCommunicationGoesToEveryUsablePreferredChannel() {
		CustomerProfile customer = customer(unique("no-phone"),
				Map.of(Purpose.TRANSACTIONAL, List.of(Channel.SMS, Channel.EMAIL, Channel.PRINT)),
				unique("nophone") + "@example.com", null, null, List.of());
		CommunicationView view = settled(accept(customer, null));
		assertThat(view.deliveries()).extracting(DeliveryView::channel, DeliveryView::status)
			.containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(Channel.SMS, DeliveryStatus.SUPPRESSED),
					org.assertj.core.groups.Tuple.tuple(Channel.EMAIL, DeliveryStatus.SENT),
					org.assertj.core.groups.Tuple.tuple(Channel.PRINT, DeliveryStatus.SENT));
		assertThat(on(view, Channel.SMS).failureReason()).isEqualTo("no reachable contact point for sms");
		assertThat(view.status()).isEqualTo(CommunicationStatus.SENT);
	}

	@Test
	void aCommunicationThatReachesNoChannelIsUndelivered() {
		CustomerProfile customer = customer(unique("unreachable"), Map.of(), unique("only-mail") + "@example.com", null,
				null, List.of());
		CommunicationView view = settled(accept(customer, List.of(Channel.SMS)));
		assertThat(view.deliveries()).extracting(DeliveryView::status).containsExactly(DeliveryStatus.SUPPRESSED);
		assertThat(view.status()).isEqualTo(CommunicationStatus.UNDELIVERED);
	}

	@Test
	void aTransactionalCommunicationWithNoUsablePreferredChannelFallsBackToTheDefaultOrder() {
		CustomerProfile customer = customer(unique("sms-only"), Map.of(Purpose.TRANSACTIONAL, List.of(Channel.SMS)),
				unique("fallback") + "@example.com", null, null, List.of());
		CommunicationView view = settled(accept(customer, null));
		assertThat(view.deliveries()).extracting(DeliveryView::channel, DeliveryView::status)
			.containsExactly(org.assertj.core.groups.Tuple.tuple(Channel.SMS, DeliveryStatus.FELL_BACK),
					org.assertj.core.groups.Tuple.tuple(Channel.EMAIL, DeliveryStatus.SENT));
	}

	@Test
	void marketingGoesToTheFirstUsablePreferredChannelOnly() {
		CustomerProfile customer = customer(unique("marketing"),
				Map.of(Purpose.MARKETING, List.of(Channel.SMS, Channel.EMAIL, Channel.PORTAL)),
				unique("offers") + "@example.com", null, null,
				List.of(new ConsentChange(Channel.EMAIL, Purpose.MARKETING, true, "web form"),
						new ConsentChange(Channel.PORTAL, Purpose.MARKETING, true, "web form")));
		UUID id = this.communications
			.accept(new SendRequest(customer.externalId(), "invoice", Purpose.MARKETING,
					Map.of("invoiceNumber", "OFFER-2"), null), unique("key"), "client-a")
			.communicationId();
		CommunicationView view = settled(id);
		assertThat(view.deliveries()).extracting(DeliveryView::channel, DeliveryView::status)
			.contains(org.assertj.core.groups.Tuple.tuple(Channel.SMS, DeliveryStatus.FELL_BACK))
			.doesNotContain(org.assertj.core.groups.Tuple.tuple(Channel.PORTAL, DeliveryStatus.SENT));
		assertThat(on(view, Channel.EMAIL).status()).isIn(DeliveryStatus.SENT, DeliveryStatus.DEFERRED);
	}

	@Test
	void aNumberTwilioRefusesFallsBackToTheNextChannel() {
		twilio.stubFor(post(urlPathMatching("/2010-04-01/Accounts/[^/]+/Messages.json"))
			.withRequestBody(containing("To=%2B447911123999"))
			.atPriority(1)
			.willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json").withBody("""
					{"code": 21211, "message": "The 'To' number +447911123999 is not a valid phone number.",
					 "more_info": "https://www.twilio.com/docs/errors/21211", "status": 400}
					""")));
		// no e-mail address: after SMS the default order leads to the portal
		CustomerProfile customer = customer(unique("refused"), Map.of(Purpose.TRANSACTIONAL, List.of(Channel.SMS)),
				null, "+447911123999", null, List.of());
		CommunicationView view = settled(accept(customer, null));
		DeliveryView sms = on(view, Channel.SMS);
		assertThat(sms.status()).isEqualTo(DeliveryStatus.FELL_BACK);
		assertThat(sms.history()).extracting(StatusChange::status)
			.containsExactly(DeliveryStatus.QUEUED, DeliveryStatus.SENDING, DeliveryStatus.PERMANENT_FAILURE,
					DeliveryStatus.FELL_BACK);
		assertThat(sms.history().get(2).reason()).contains("21211");
		assertThat(on(view, Channel.PORTAL).status()).isEqualTo(DeliveryStatus.SENT);
		twilio.verify(1,
				postRequestedFor(urlEqualTo(TWILIO_MESSAGES)).withRequestBody(containing("To=%2B447911123999")));
	}

	@Test
	void aTwilioServerErrorIsRetried() {
		// the SDK retries server errors itself a few times; four in a row make the
		// attempt fail
		String state = com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
		for (int failure = 1; failure <= 4; failure++) {
			twilio.stubFor(post(urlPathMatching("/2010-04-01/Accounts/[^/]+/Messages.json"))
				.withRequestBody(containing("To=%2B447911123888"))
				.atPriority(1)
				.inScenario("outage")
				.whenScenarioStateIs(state)
				.willSetStateTo("failed " + failure)
				.willReturn(aResponse().withStatus(500).withHeader("Content-Type", "application/json").withBody("""
						{"code": 20500, "message": "Internal Server Error", "status": 500}
						""")));
			state = "failed " + failure;
		}
		CustomerProfile customer = customer(unique("retried"), Map.of(Purpose.TRANSACTIONAL, List.of(Channel.SMS)),
				null, "+447911123888", null, List.of());
		CommunicationView view = settled(accept(customer, null));
		DeliveryView sms = on(view, Channel.SMS);
		assertThat(sms.status()).isEqualTo(DeliveryStatus.SENT);
		assertThat(sms.history()).extracting(StatusChange::status)
			.containsExactly(DeliveryStatus.QUEUED, DeliveryStatus.SENDING, DeliveryStatus.TEMPORARY_FAILURE,
					DeliveryStatus.SENDING, DeliveryStatus.SENT);
		twilio.verify(5,
				postRequestedFor(urlEqualTo(TWILIO_MESSAGES)).withRequestBody(containing("To=%2B447911123888")));
	}

	@Test
	void marketingInQuietHoursIsDeferredAndQueuedWhenTheyEnd() {
		LocalTime now = LocalTime.now(ZoneId.of("Europe/London"));
		CustomerProfile customer = customer(unique("night-owl"), Map.of(Purpose.MARKETING, List.of(Channel.EMAIL)),
				unique("owl") + "@example.com", null, new QuietHours(now.minusHours(1), now.plusHours(1)),
				List.of(new ConsentChange(Channel.EMAIL, Purpose.MARKETING, true, "web form")));
		UUID id = this.communications
			.accept(new SendRequest(customer.externalId(), "invoice", Purpose.MARKETING,
					Map.of("invoiceNumber", "OFFER-1"), null), unique("key"), "client-a")
			.communicationId();
		CommunicationView deferred = settled(id);
		DeliveryView email = on(deferred, Channel.EMAIL);
		assertThat(email.status()).isEqualTo(DeliveryStatus.DEFERRED);
		assertThat(email.failureReason()).isEqualTo("quiet hours");

		this.router.requeueDeferred();
		assertThat(on(this.communications.find(id).orElseThrow(), Channel.EMAIL).status())
			.as("not before the quiet hours end")
			.isEqualTo(DeliveryStatus.DEFERRED);

		this.jdbc.sql("UPDATE delivery SET not_before = now() - interval '1 second' WHERE id = ?")
			.param(email.id())
			.update();
		this.router.requeueDeferred();
		CommunicationView sent = settled(id);
		assertThat(on(sent, Channel.EMAIL).history()).extracting(StatusChange::status)
			.containsExactly(DeliveryStatus.DEFERRED, DeliveryStatus.QUEUED, DeliveryStatus.SENDING,
					DeliveryStatus.SENT);
	}

	@Test
	void engagementIsRecordedButNeverMovesADeliveryBackwards() {
		CustomerProfile customer = reachableEverywhere(unique("engaged"), List.of(Channel.EMAIL));
		UUID id = accept(customer, null);
		UUID email = on(settled(id), Channel.EMAIL).id();
		Instant opened = Instant.parse("2026-11-23T10:00:00Z");
		this.communications.recordEngagement(email, DeliveryStatus.OPENED, opened);
		this.communications.recordEngagement(email, DeliveryStatus.CLICKED, opened.plusSeconds(5));
		this.communications.recordEngagement(email, DeliveryStatus.DELIVERED, opened.plusSeconds(9));
		this.communications.recordEngagement(UUID.randomUUID(), DeliveryStatus.OPENED, opened);

		DeliveryView view = on(this.communications.find(id).orElseThrow(), Channel.EMAIL);
		assertThat(view.status()).isEqualTo(DeliveryStatus.CLICKED);
		assertThat(view.history()).extracting(StatusChange::status)
			.endsWith(DeliveryStatus.SENT, DeliveryStatus.OPENED, DeliveryStatus.CLICKED, DeliveryStatus.DELIVERED);
		assertThat(view.history().get(view.history().size() - 3).at()).isEqualTo(opened);
		assertThat(this.timeline.page(customer.id(), null, 50).entries()).extracting(TimelineEntry::type)
			.contains(InteractionType.OPENED, InteractionType.CLICKED, InteractionType.DELIVERED);
	}

	@Test
	void aHardBounceFallsBackWhenNoOtherChannelCarriesTheCommunication() {
		CustomerProfile customer = reachableEverywhere(unique("bounced"), List.of(Channel.EMAIL));
		UUID id = accept(customer, null);
		UUID email = on(settled(id), Channel.EMAIL).id();
		this.communications.recordEngagement(email, DeliveryStatus.PERMANENT_FAILURE, Instant.now());
		CommunicationView view = settled(id);
		assertThat(on(view, Channel.EMAIL).status()).isEqualTo(DeliveryStatus.FELL_BACK);
		assertThat(on(view, Channel.SMS).status()).isEqualTo(DeliveryStatus.SENT);
		assertThat(this.timeline.page(customer.id(), null, 50).entries()).extracting(TimelineEntry::type)
			.contains(InteractionType.BOUNCED, InteractionType.FELL_BACK);
	}

	@Test
	void aHardBounceStandsWhenAnotherChannelAlreadyCarriesTheCommunication() {
		CustomerProfile customer = reachableEverywhere(unique("bounced-too"), List.of(Channel.EMAIL, Channel.PORTAL));
		UUID id = accept(customer, null);
		UUID email = on(settled(id), Channel.EMAIL).id();
		this.communications.recordEngagement(email, DeliveryStatus.PERMANENT_FAILURE, Instant.now());
		CommunicationView view = settled(id);
		assertThat(view.deliveries()).extracting(DeliveryView::channel, DeliveryView::status)
			.containsExactlyInAnyOrder(
					org.assertj.core.groups.Tuple.tuple(Channel.EMAIL, DeliveryStatus.PERMANENT_FAILURE),
					org.assertj.core.groups.Tuple.tuple(Channel.PORTAL, DeliveryStatus.SENT));
	}

	@Test
	void aDeliveryLeftClaimedIsReportedButNotSentAgain() {
		CustomerProfile customer = reachableEverywhere(unique("in-doubt"), List.of(Channel.PORTAL));
		UUID stuck = on(settled(accept(customer, null)), Channel.PORTAL).id();
		UUID recent = on(settled(accept(customer, null)), Channel.PORTAL).id();
		// as if the worker had stopped right after claiming them, long ago and just now
		this.jdbc.sql("UPDATE delivery SET status = 'SENDING', updated_at = now() - interval '1 hour' WHERE id = ?")
			.param(stuck)
			.update();
		this.jdbc.sql("UPDATE delivery SET status = 'SENDING', updated_at = now() WHERE id = ?").param(recent).update();

		this.worker.reportInDoubt();

		DeliveryRecord reported = this.deliveries.find(stuck).orElseThrow();
		assertThat(reported.status()).isEqualTo(DeliveryStatus.TECHNICAL_FAILURE);
		assertThat(reported.failureReason()).isEqualTo(DeliveryWorker.IN_DOUBT);
		// parked where operators replay what failed
		assertThat(this.deadLetters.list(1000)).filteredOn((letter) -> stuck.equals(letter.deliveryId()))
			.singleElement()
			.satisfies((letter) -> {
				assertThat(letter.error()).isEqualTo(DeliveryWorker.IN_DOUBT);
				assertThat(letter.originalTopic()).isEqualTo("ccm.delivery.portal");
			});
		assertThat(this.deliveries.find(recent).orElseThrow().status()).isEqualTo(DeliveryStatus.SENDING);
		assertThat(this.inbox.documents(customer.id())).hasSize(2);
	}

	@Test
	void erasingACustomerRemovesTheirDocuments() {
		CustomerProfile customer = reachableEverywhere(unique("erased"), List.of(Channel.PORTAL));
		UUID id = accept(customer, null);
		assertThat(on(settled(id), Channel.PORTAL).status()).isEqualTo(DeliveryStatus.SENT);
		assertThat(this.inbox.documents(customer.id())).hasSize(1);
		assertThat(this.communications.document(id, Channel.PORTAL)).isPresent();

		this.transaction.executeWithoutResult((status) -> this.events.publishEvent(new CustomerErased(customer.id())));
		org.awaitility.Awaitility.await()
			.atMost(java.time.Duration.ofSeconds(30))
			.until(() -> this.inbox.documents(customer.id()).isEmpty()
					&& this.communications.document(id, Channel.PORTAL).isEmpty());
		assertThat(this.communications.find(id).orElseThrow().deliveries()).hasSize(1);
	}

	private UUID accept(CustomerProfile customer, List<Channel> channels) {
		return this.communications
			.accept(new SendRequest(customer.externalId(), "invoice", Purpose.TRANSACTIONAL,
					Map.of("invoiceNumber", "INV-" + UUID.randomUUID()), channels), unique("key"), "client-a")
			.communicationId();
	}

}
