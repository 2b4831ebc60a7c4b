package org.ccm.delivery;

import java.time.Duration;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.ccm.core.Channel;
import org.ccm.core.CustomerProfile;
import org.ccm.core.Customers;
import org.ccm.core.Purpose;
import org.ccm.core.Topic;
import org.ccm.core.Topics;
import org.ccm.templates.TemplateSummary;
import org.ccm.templates.Templates;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Routes accepted communications to channels (see {@link Communications} for the policy),
 * falls back after permanent failures and queues deferred deliveries again when their
 * time has come. Each queued delivery is published as {@link DeliveryQueued} in the
 * transaction that queued it.
 */
@Component
class Router {

	private static final Log logger = LogFactory.getLog(Router.class);

	/**
	 * Assumed when the template was unpublished since the send was accepted; composing
	 * will tell.
	 */
	private static final Set<Channel> ALL_CHANNELS = EnumSet.allOf(Channel.class);

	private final JdbcClient jdbc;

	private final Customers customers;

	private final Deliveries deliveries;

	private final ApplicationEventPublisher events;

	private final JsonMapper json;

	private final RoutingPolicy policy;

	private final TransactionTemplate transaction;

	private final Templates templates;

	private final DeliveryMetrics metrics;

	private final Topics topics;

	private final Clock clock;

	Router(JdbcClient jdbc, Customers customers, Deliveries deliveries, ApplicationEventPublisher events,
			JsonMapper json, DeliveryProperties properties, PlatformTransactionManager transactionManager,
			Templates templates, Topics topics, DeliveryMetrics metrics, Clock clock) {
		this.clock = clock;
		this.topics = topics;
		this.templates = templates;
		this.metrics = metrics;
		this.jdbc = jdbc;
		this.customers = customers;
		this.deliveries = deliveries;
		this.events = events;
		this.json = json;
		this.policy = new RoutingPolicy(properties.marketing());
		this.transaction = new TransactionTemplate(transactionManager);
	}

	@KafkaListener(id = "ccm-delivery-routing", groupId = "ccm-delivery",
			concurrency = "${ccm.delivery.kafka.concurrency.routing:${ccm.delivery.kafka.consumers:1}}",
			topics = "${ccm.delivery.topics.requested:ccm.communications.requested}",
			properties = "auto.offset.reset=earliest")
	void onRequested(String payload) {
		CommunicationAccepted accepted = this.json.readValue(payload, CommunicationAccepted.class);
		this.transaction.executeWithoutResult((status) -> route(accepted.communicationId()));
	}

	/**
	 * Routes a communication the caller inserted, already marked routed, in its own
	 * transaction a moment ago, for the customer it read there: nothing to read or mark
	 * again.
	 */
	void routeAccepted(UUID communicationId, CustomerProfile customer, Purpose purpose,
			@Nullable List<Channel> requestedChannels, String template) {
		Routing routing = new Routing(communicationId, customer.id(), purpose, requestedChannels, true, template);
		insert(routing, decideRoute(routing, customer));
	}

	/**
	 * Routes the communication unless that was done before (a redelivered record routes
	 * nothing).
	 */
	void route(UUID communicationId) {
		Optional<Routing> found = this.jdbc
			.sql("SELECT customer_id, purpose, requested_channels, routed_at, template FROM communication"
					+ " WHERE id = ? FOR UPDATE")
			.param(communicationId)
			.query((rs, row) -> new Routing(communicationId, rs.getObject(1, UUID.class),
					Purpose.valueOf(rs.getString(2)), channels(rs.getString(3)), rs.getTimestamp(4) != null,
					rs.getString(5)))
			.optional();
		if (found.isEmpty() || found.get().routed()) {
			return;
		}
		Routing routing = found.get();
		this.jdbc.sql("UPDATE communication SET routed_at = ? WHERE id = ?")
			.params(Deliveries.timestamp(Instant.now(this.clock)), communicationId)
			.update();
		Optional<CustomerProfile> customer = this.customers.findById(routing.customerId());
		if (customer.isEmpty()) {
			logger.warn("Communication " + communicationId + " has no customer any more; nothing is sent");
			return;
		}
		insert(routing, decideRoute(routing, customer.get()));
	}

	private List<RoutingPolicy.Decision> decideRoute(Routing routing, CustomerProfile customer) {
		Choice choice = choice(routing, customer);
		if (choice.refused() != null) {
			return RoutingPolicy.refused((routing.requestedChannels() != null) ? routing.requestedChannels()
					: preference(customer, routing.purpose()), choice.refused());
		}
		if (routing.requestedChannels() != null) {
			return this.policy.each(customer, routing.purpose(), routing.requestedChannels(), choice.now(),
					choice.recentMarketing(), choice.supported());
		}
		List<Channel> preferred = customer.channelsFor(routing.purpose());
		if (routing.purpose() != Purpose.TRANSACTIONAL || preferred.isEmpty()) {
			return this.policy.firstUsable(customer, routing.purpose(), preference(customer, routing.purpose()),
					choice.now(), choice.recentMarketing(), choice.supported());
		}
		List<RoutingPolicy.Decision> decisions = this.policy.each(customer, routing.purpose(), preferred, choice.now(),
				choice.recentMarketing(), choice.supported());
		if (RoutingPolicy.reachesTheCustomer(decisions)) {
			return decisions;
		}
		// a transactional document must reach the customer somewhere if any channel works
		List<RoutingPolicy.Decision> beyond = chosen(
				this.policy.firstUsable(customer, routing.purpose(), without(RoutingPolicy.DEFAULT_ORDER, preferred),
						choice.now(), choice.recentMarketing(), choice.supported()));
		if (beyond.isEmpty()) {
			return decisions;
		}
		List<RoutingPolicy.Decision> fellBack = new ArrayList<>(decisions.stream()
			.map((skipped) -> new RoutingPolicy.Decision(skipped.channel(), DeliveryStatus.FELL_BACK, skipped.reason(),
					null))
			.toList());
		fellBack.addAll(beyond);
		return fellBack;
	}

	/**
	 * After a permanent failure that leaves the customer without the communication on any
	 * channel, moves it on to the next usable channel that was not tried yet: down the
	 * customer's preference, and for transactional communications on through the default
	 * order. Runs in the caller's transaction.
	 */
	void fallBack(DeliveryRecord failed) {
		Optional<Routing> found = this.jdbc
			.sql("SELECT customer_id, purpose, requested_channels, template FROM communication WHERE id = ? FOR UPDATE")
			.param(failed.communicationId())
			.query((rs, row) -> new Routing(failed.communicationId(), rs.getObject(1, UUID.class),
					Purpose.valueOf(rs.getString(2)), channels(rs.getString(3)), true, rs.getString(4)))
			.optional();
		// channels named by the request are kept to, except that a transactional document
		// must reach the customer somewhere
		if (found.isEmpty()
				|| (found.get().requestedChannels() != null && found.get().purpose() != Purpose.TRANSACTIONAL)) {
			return;
		}
		Routing routing = found.get();
		Optional<CustomerProfile> customer = this.customers.findById(routing.customerId());
		if (customer.isEmpty()) {
			return;
		}
		List<DeliveryRecord> others = this.deliveries.forCommunication(failed.communicationId())
			.stream()
			.filter((delivery) -> !delivery.id().equals(failed.id()))
			.toList();
		if (others.stream().anyMatch((delivery) -> !delivery.status().isFinal())) {
			return;
		}
		List<Channel> preference = preference(customer.get(), routing.purpose());
		Set<Channel> tried = EnumSet.of(failed.channel());
		others.forEach((delivery) -> tried.add(delivery.channel()));
		List<Channel> candidates = new ArrayList<>(preference);
		if (routing.purpose() == Purpose.TRANSACTIONAL) {
			candidates.addAll(without(RoutingPolicy.DEFAULT_ORDER, preference));
		}
		candidates.removeAll(tried);
		Choice choice = choice(routing, customer.get());
		if (choice.refused() != null) {
			// opted out of the topic since: the communication is not carried on
			return;
		}
		List<RoutingPolicy.Decision> decisions = this.policy.firstUsable(customer.get(), routing.purpose(), candidates,
				choice.now(), choice.recentMarketing(), choice.supported());
		List<RoutingPolicy.Decision> next = chosen(decisions);
		if (next.isEmpty()) {
			return;
		}
		this.deliveries.transition(
				failed.id(), DeliveryStatus.FELL_BACK, "moved on to "
						+ next.get(0).channel().name().toLowerCase(Locale.ROOT) + " after: " + failed.failureReason(),
				List.of(DeliveryStatus.PERMANENT_FAILURE));
		insert(routing,
				decisions.stream()
					.filter((decision) -> next.contains(decision) || preference.contains(decision.channel()))
					.toList());
	}

	/**
	 * Sends a transactional document that stayed unread in the portal to print too, once:
	 * a print delivery is added unless the communication has one (suppressed when the
	 * customer has no usable postal address). Runs in the caller's transaction.
	 */
	void printUnread(UUID portalDeliveryId, String reason) {
		Optional<DeliveryRecord> portal = this.deliveries.find(portalDeliveryId);
		if (portal.isEmpty()) {
			return;
		}
		Optional<Routing> found = this.jdbc
			.sql("SELECT customer_id, purpose, requested_channels, template FROM communication WHERE id = ? FOR UPDATE")
			.param(portal.get().communicationId())
			.query((rs, row) -> new Routing(portal.get().communicationId(), rs.getObject(1, UUID.class),
					Purpose.valueOf(rs.getString(2)), channels(rs.getString(3)), true, rs.getString(4)))
			.optional();
		boolean printed = this.deliveries.forCommunication(portal.get().communicationId())
			.stream()
			.anyMatch((delivery) -> delivery.channel() == Channel.PRINT);
		if (found.isEmpty() || printed) {
			return;
		}
		Routing routing = found.get();
		Optional<CustomerProfile> customer = this.customers.findById(routing.customerId());
		if (customer.isEmpty()) {
			return;
		}
		Choice choice = choice(routing, customer.get());
		insert(routing,
				this.policy
					.firstUsable(customer.get(), routing.purpose(), List.of(Channel.PRINT), choice.now(),
							choice.recentMarketing(), choice.supported())
					.stream()
					.map((decision) -> decision.reaches() ? new RoutingPolicy.Decision(decision.channel(),
							decision.status(), reason, decision.notBefore()) : decision)
					.toList());
	}

	@Scheduled(fixedDelayString = "${ccm.delivery.marketing.deferred-check:PT1M}",
			initialDelayString = "${ccm.delivery.marketing.deferred-check:PT1M}")
	@SchedulerLock(name = "ccm-delivery-requeue-deferred")
	void requeueDeferred() {
		int queued;
		do {
			queued = this.transaction.execute((status) -> {
				List<DeliveryRecord> due = this.deliveries.requeueDue(200);
				due.forEach((delivery) -> this.events.publishEvent(delivery.queued()));
				return due.size();
			});
		}
		while (queued == 200);
	}

	private Choice choice(Routing routing, CustomerProfile customer) {
		Instant now = Instant.now(this.clock);
		List<Instant> recent = (routing.purpose() == Purpose.MARKETING)
				? this.deliveries.marketingSince(customer.id(), now.minus(Duration.ofDays(7))) : List.of();
		Optional<TemplateSummary> template = this.templates.findPublished(routing.template());
		Set<Channel> supported = template.map(TemplateSummary::channels).orElse(ALL_CHANNELS);
		Topic topic = template.map(TemplateSummary::topic).flatMap(this.topics::find).orElse(null);
		String refused = (topic != null && routing.purpose() == Purpose.MARKETING)
				? RoutingPolicy.topicRefusal(routing.purpose(), topic, this.topics.optedOut(customer.id())) : null;
		return new Choice(now, recent, supported, refused);
	}

	private static List<RoutingPolicy.Decision> chosen(List<RoutingPolicy.Decision> decisions) {
		return decisions.stream().filter(RoutingPolicy.Decision::reaches).toList();
	}

	private static List<Channel> without(List<Channel> channels, List<Channel> excluded) {
		return channels.stream().filter((channel) -> !excluded.contains(channel)).toList();
	}

	private void insert(Routing routing, List<RoutingPolicy.Decision> decisions) {
		for (RoutingPolicy.Decision decision : decisions) {
			DeliveryRecord delivery = this.deliveries.insert(routing.communicationId(), routing.customerId(),
					routing.template(), decision.channel(), routing.purpose(), decision.status(), decision.reason(),
					decision.notBefore());
			if (delivery.status() == DeliveryStatus.QUEUED) {
				this.events.publishEvent(delivery.queued());
				this.metrics.queued(delivery.channel());
			}
		}
	}

	private static List<Channel> preference(CustomerProfile customer, Purpose purpose) {
		List<Channel> preferred = customer.channelsFor(purpose);
		return preferred.isEmpty() ? RoutingPolicy.DEFAULT_ORDER : preferred;
	}

	private @Nullable List<Channel> channels(@Nullable String json) {
		return (json != null) ? this.json.readValue(json, new TypeReference<List<Channel>>() {
		}) : null;
	}

	/**
	 * What the routing decision depends on besides the customer.
	 *
	 * @param refused why the communication may reach the customer on no channel (a topic
	 * they opted out of), or null
	 */
	private record Choice(Instant now, List<Instant> recentMarketing, Set<Channel> supported,
			@Nullable String refused) {

	}

	private record Routing(UUID communicationId, UUID customerId, Purpose purpose,
			@Nullable List<Channel> requestedChannels, boolean routed, String template) {

	}

}
