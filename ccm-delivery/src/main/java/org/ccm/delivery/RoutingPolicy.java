package org.ccm.delivery;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.ccm.core.Channel;
import org.ccm.core.CustomerProfile;
import org.ccm.core.CustomerStatus;
import org.ccm.core.Purpose;
import org.ccm.core.QuietHours;
import org.ccm.core.Topic;
import org.jspecify.annotations.Nullable;

/**
 * Decides where a communication goes, as described on {@link Communications}. Pure:
 * everything it needs from the database (earlier marketing deliveries) is passed in.
 */
final class RoutingPolicy {

	/** Used when a customer states no preference for the purpose. */
	static final List<Channel> DEFAULT_ORDER = List.of(Channel.EMAIL, Channel.SMS, Channel.PORTAL, Channel.PRINT);

	private final DeliveryProperties.Marketing marketing;

	RoutingPolicy(DeliveryProperties.Marketing marketing) {
		this.marketing = marketing;
	}

	/**
	 * One channel's fate.
	 */
	record Decision(Channel channel, DeliveryStatus status, @Nullable String reason, @Nullable Instant notBefore) {

		/** Whether this channel will carry the communication, now or later. */
		boolean reaches() {
			return status == DeliveryStatus.QUEUED || status == DeliveryStatus.DEFERRED;
		}

	}

	/**
	 * Every candidate is used when it can be; an unusable one is
	 * {@link DeliveryStatus#SUPPRESSED SUPPRESSED} with the reason.
	 * @param candidates the channels, in order of preference
	 * @param recentMarketing when earlier marketing deliveries of the customer were
	 * queued or sent, oldest first, for the frequency cap
	 * @param supported the channels the template can be composed for
	 */
	List<Decision> each(CustomerProfile customer, Purpose purpose, List<Channel> candidates, Instant now,
			List<Instant> recentMarketing, Set<Channel> supported) {
		List<Decision> decisions = new ArrayList<>();
		for (Channel channel : candidates) {
			String unusable = unusable(customer, channel, purpose, supported);
			decisions.add((unusable != null) ? new Decision(channel, DeliveryStatus.SUPPRESSED, unusable, null)
					: timing(customer, channel, purpose, now, recentMarketing));
		}
		return decisions;
	}

	/**
	 * The first usable candidate is used; the unusable ones before it are recorded as
	 * {@link DeliveryStatus#FELL_BACK FELL_BACK}. When none is usable every candidate is
	 * {@link DeliveryStatus#SUPPRESSED SUPPRESSED}.
	 */
	List<Decision> firstUsable(CustomerProfile customer, Purpose purpose, List<Channel> candidates, Instant now,
			List<Instant> recentMarketing, Set<Channel> supported) {
		List<Decision> decisions = new ArrayList<>();
		for (Channel channel : candidates) {
			String unusable = unusable(customer, channel, purpose, supported);
			if (unusable == null) {
				decisions.add(timing(customer, channel, purpose, now, recentMarketing));
				return decisions;
			}
			decisions.add(new Decision(channel, DeliveryStatus.FELL_BACK, unusable, null));
		}
		return decisions.stream()
			.map((skipped) -> new Decision(skipped.channel(), DeliveryStatus.SUPPRESSED, skipped.reason(), null))
			.toList();
	}

	/**
	 * Why a communication on the template's topic may not reach the customer, or null
	 * when it may: marketing about a topic the customer opted out of is refused, unless
	 * the topic is mandatory; transactional messages are owed and never refused for a
	 * topic.
	 * @param topic the topic the template names, or null
	 * @param optedOut the topics the customer opted out of
	 */
	static @Nullable String topicRefusal(Purpose purpose, @Nullable Topic topic, Set<String> optedOut) {
		if (purpose != Purpose.MARKETING || topic == null || topic.mandatory() || !optedOut.contains(topic.key())) {
			return null;
		}
		return "the customer opted out of the topic " + topic.key();
	}

	/**
	 * Every candidate {@link DeliveryStatus#SUPPRESSED SUPPRESSED} for the same reason.
	 */
	static List<Decision> refused(List<Channel> candidates, String reason) {
		return candidates.stream()
			.map((channel) -> new Decision(channel, DeliveryStatus.SUPPRESSED, reason, null))
			.toList();
	}

	static boolean reachesTheCustomer(List<Decision> decisions) {
		return decisions.stream().anyMatch(Decision::reaches);
	}

	private static @Nullable String unusable(CustomerProfile customer, Channel channel, Purpose purpose,
			Set<Channel> supported) {
		return supported.contains(channel) ? unusable(customer, channel, purpose)
				: "the template has no " + channel.name().toLowerCase(Locale.ROOT) + " version";
	}

	static @Nullable String unusable(CustomerProfile customer, Channel channel, Purpose purpose) {
		if (customer.status() != CustomerStatus.ACTIVE) {
			return "customer is " + customer.status().name().toLowerCase(Locale.ROOT);
		}
		if (!customer.consents(channel, purpose)) {
			return "no consent for " + purpose.name().toLowerCase(Locale.ROOT) + " on "
					+ channel.name().toLowerCase(Locale.ROOT);
		}
		if (!customer.reachableOn(channel)) {
			return "no reachable contact point for " + channel.name().toLowerCase(Locale.ROOT);
		}
		return null;
	}

	private Decision timing(CustomerProfile customer, Channel channel, Purpose purpose, Instant now,
			List<Instant> recentMarketing) {
		if (purpose != Purpose.MARKETING) {
			return new Decision(channel, DeliveryStatus.QUEUED, null, null);
		}
		if (customer.marketingPaused(now)) {
			return new Decision(channel, DeliveryStatus.DEFERRED, "marketing paused by the customer",
					customer.marketingPausedUntil());
		}
		Instant capFrees = capFreesAt(now, recentMarketing);
		if (capFrees != null) {
			return new Decision(channel, DeliveryStatus.DEFERRED, "frequency cap", capFrees);
		}
		if (this.marketing.quietChannels().contains(channel)) {
			QuietHours quiet = (customer.quietHours() != null) ? customer.quietHours()
					: new QuietHours(this.marketing.quietHoursStart(), this.marketing.quietHoursEnd());
			ZonedDateTime local = now.atZone(customer.timeZone());
			if (quiet.contains(local.toLocalTime())) {
				return new Decision(channel, DeliveryStatus.DEFERRED, "quiet hours",
						endOf(quiet, local, customer.timeZone()));
			}
		}
		return new Decision(channel, DeliveryStatus.QUEUED, null, null);
	}

	/**
	 * When the next marketing delivery would fit under both caps, or null if it fits now.
	 */
	@Nullable Instant capFreesAt(Instant now, List<Instant> recentMarketing) {
		Instant frees = null;
		frees = later(frees, frees(now, recentMarketing, Duration.ofDays(1), this.marketing.maxPerDay()));
		frees = later(frees, frees(now, recentMarketing, Duration.ofDays(7), this.marketing.maxPerWeek()));
		return frees;
	}

	private static @Nullable Instant frees(Instant now, List<Instant> recent, Duration window, int max) {
		List<Instant> inWindow = recent.stream().filter((at) -> at.isAfter(now.minus(window))).sorted().toList();
		if (inWindow.size() < max) {
			return null;
		}
		// the window must slide past enough of the oldest deliveries to leave room for
		// one more
		return inWindow.get(inWindow.size() - max).plus(window);
	}

	private static @Nullable Instant later(@Nullable Instant a, @Nullable Instant b) {
		if (a == null) {
			return b;
		}
		return (b == null || a.isAfter(b)) ? a : b;
	}

	private static Instant endOf(QuietHours quiet, ZonedDateTime local, ZoneId zone) {
		LocalDate day = local.toLocalDate();
		ZonedDateTime end = day.atTime(quiet.end()).atZone(zone);
		if (!end.isAfter(local)) {
			end = end.plusDays(1);
		}
		return end.toInstant();
	}

}
