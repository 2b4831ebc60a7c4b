package org.ccm.admin;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.ccm.core.Channel;
import org.ccm.core.CustomerProfile;
import org.ccm.core.Purpose;
import org.ccm.core.QuietHours;
import org.jspecify.annotations.Nullable;
import org.springframework.util.MultiValueMap;

/**
 * The preference centre's form as the customer filled it in: marketing channels, the
 * order of channels for transactional documents (four choices, each a channel or none),
 * quiet hours, a date until which marketing is paused and the topics the customer wants.
 * Problems are message keys of the portal's texts, by field.
 *
 * @param topics the topics ticked: the customer receives these
 */
record PreferenceForm(Set<Channel> marketing, List<String> order, String quietStart, String quietEnd, String pauseUntil,
		Set<String> topics) {

	/**
	 * The customer's current choices; of the offered topics, those not opted out of are
	 * ticked.
	 */
	static PreferenceForm of(CustomerProfile customer, List<String> offeredTopics, Set<String> optedOutTopics) {
		Set<Channel> marketing = EnumSet.noneOf(Channel.class);
		for (Channel channel : Channel.values()) {
			if (customer.consents(channel, Purpose.MARKETING)) {
				marketing.add(channel);
			}
		}
		List<String> order = new ArrayList<>();
		customer.channelsFor(Purpose.TRANSACTIONAL).forEach((channel) -> order.add(channel.name()));
		while (order.size() < Channel.values().length) {
			order.add("");
		}
		QuietHours quiet = customer.quietHours();
		String pause = "";
		if (customer.marketingPausedUntil() != null) {
			// paused until the end of the day the customer chose, in their time zone
			pause = customer.marketingPausedUntil().atZone(customer.timeZone()).toLocalDate().minusDays(1).toString();
		}
		Set<String> received = new LinkedHashSet<>(offeredTopics);
		received.removeAll(optedOutTopics);
		return new PreferenceForm(marketing, order, (quiet != null) ? quiet.start().toString() : "",
				(quiet != null) ? quiet.end().toString() : "", pause, received);
	}

	static PreferenceForm of(MultiValueMap<String, String> params) {
		Set<Channel> marketing = EnumSet.noneOf(Channel.class);
		for (String value : params.getOrDefault("marketing", List.of())) {
			for (Channel channel : Channel.values()) {
				if (channel.name().equals(value)) {
					marketing.add(channel);
				}
			}
		}
		List<String> order = new ArrayList<>();
		for (int i = 1; i <= Channel.values().length; i++) {
			order.add(value(params, "order" + i));
		}
		return new PreferenceForm(marketing, order, value(params, "quietStart"), value(params, "quietEnd"),
				value(params, "pauseUntil"), Set.copyOf(params.getOrDefault("topic", List.of())));
	}

	private static String value(MultiValueMap<String, String> params, String name) {
		String value = params.getFirst(name);
		return (value != null) ? value.strip() : "";
	}

	/** The channel chosen at a position (1 to 4), or empty. */
	String choice(int position) {
		return this.order.get(position - 1);
	}

	List<Channel> order(Map<String, String> problems) {
		List<Channel> channels = new ArrayList<>();
		for (int i = 0; i < this.order.size(); i++) {
			String name = this.order.get(i);
			if (name.isEmpty()) {
				continue;
			}
			Channel channel = null;
			for (Channel candidate : Channel.values()) {
				if (candidate.name().equals(name)) {
					channel = candidate;
				}
			}
			if (channel == null || channels.contains(channel)) {
				problems.putIfAbsent("order" + (i + 1), "prefs.error.order");
			}
			else {
				channels.add(channel);
			}
		}
		return channels;
	}

	@Nullable QuietHours quietHours(Map<String, String> problems) {
		if (this.quietStart.isEmpty() && this.quietEnd.isEmpty()) {
			return null;
		}
		LocalTime start = time(this.quietStart, "quietStart", problems);
		LocalTime end = time(this.quietEnd, "quietEnd", problems);
		return (start != null && end != null) ? new QuietHours(start, end) : null;
	}

	private static @Nullable LocalTime time(String text, String field, Map<String, String> problems) {
		if (text.isEmpty()) {
			problems.put(field, "prefs.error.bothTimes");
			return null;
		}
		try {
			return LocalTime.parse(text);
		}
		catch (DateTimeParseException ex) {
			problems.put(field, "prefs.error.time");
			return null;
		}
	}

	/**
	 * The end of the chosen day in the customer's time zone, or null for no pause.
	 */
	@Nullable Instant pausedUntil(ZoneId zone, Instant now, Map<String, String> problems) {
		if (this.pauseUntil.isEmpty()) {
			return null;
		}
		try {
			LocalDate day = LocalDate.parse(this.pauseUntil);
			Instant until = day.plusDays(1).atStartOfDay(zone).toInstant();
			if (!until.isAfter(now)) {
				problems.put("pauseUntil", "prefs.error.pastDate");
				return null;
			}
			return until;
		}
		catch (DateTimeParseException ex) {
			problems.put("pauseUntil", "prefs.error.date");
			return null;
		}
	}

}
