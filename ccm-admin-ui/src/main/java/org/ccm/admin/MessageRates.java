package org.ccm.admin;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.ccm.delivery.Communications;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Messages sent and failed per channel, per minute, over the dashboard's window, from
 * delivery's own records (send times and failed attempts), which every instance writes,
 * so the figures are the whole platform's however many replicas run (the meters of one
 * instance would show only its own share).
 */
@Component
class MessageRates {

	private final Communications communications;

	private final OperationsProperties properties;

	private final Clock clock;

	@Autowired
	MessageRates(Communications communications, OperationsProperties properties) {
		this(communications, properties, Clock.systemUTC());
	}

	MessageRates(Communications communications, OperationsProperties properties, Clock clock) {
		this.communications = communications;
		this.properties = properties;
		this.clock = clock;
	}

	/** What was sent and failed per channel in one minute. */
	public record Interval(Instant from, Instant to, Map<String, Long> sent, Map<String, Long> failed) {

	}

	/**
	 * Every minute of the window up to the current one (which is still counting), oldest
	 * first, with nothing for a minute nothing happened in.
	 */
	List<Interval> intervals() {
		Instant now = this.clock.instant();
		Instant first = now.minus(this.properties.window()).truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES);
		Map<Instant, Interval> minutes = new TreeMap<>();
		for (Instant minute = first; !minute.isAfter(now); minute = minute.plus(1, ChronoUnit.MINUTES)) {
			Instant end = minute.plus(1, ChronoUnit.MINUTES);
			minutes.put(minute, new Interval(minute, end.isAfter(now) ? now : end, new TreeMap<>(), new TreeMap<>()));
		}
		for (Communications.MinuteFigures figures : this.communications.perMinute(first)) {
			Interval interval = minutes.get(figures.minute());
			if (interval != null) {
				String channel = figures.channel().name().toLowerCase(Locale.ROOT);
				interval.sent().merge(channel, figures.sent(), Long::sum);
				interval.failed().merge(channel, figures.failed(), Long::sum);
			}
		}
		return new ArrayList<>(minutes.values());
	}

}
