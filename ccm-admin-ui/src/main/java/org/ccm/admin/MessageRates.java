package org.ccm.admin;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Messages sent and failed per channel, per interval, from delivery's own counters
 * ({@code ccm.messages.sent} and {@code ccm.messages.failed}, see docs/metrics.md): the
 * counters are read every {@code sample-interval} and the differences kept for the
 * dashboard's window. They count this application instance's work.
 */
@Component
class MessageRates {

	static final String SENT = "ccm.messages.sent";

	static final String FAILED = "ccm.messages.failed";

	private final @Nullable MeterRegistry registry;

	private final OperationsProperties properties;

	private final Clock clock;

	private final Deque<Sample> samples = new ArrayDeque<>();

	@Autowired
	MessageRates(ObjectProvider<MeterRegistry> registry, OperationsProperties properties) {
		this(registry.getIfAvailable(), properties, Clock.systemUTC());
	}

	MessageRates(@Nullable MeterRegistry registry, OperationsProperties properties, Clock clock) {
		this.registry = registry;
		this.properties = properties;
		this.clock = clock;
	}

	/** Counter totals per channel at one moment. */
	record Sample(Instant at, Map<String, Double> sent, Map<String, Double> failed) {

	}

	/** What was sent and failed on a channel in one interval. */
	public record Interval(Instant from, Instant to, Map<String, Long> sent, Map<String, Long> failed) {

	}

	boolean metered() {
		return this.registry != null;
	}

	@Scheduled(initialDelay = 0, fixedRateString = "${ccm.admin.operations.sample-interval:PT1M}")
	synchronized void sample() {
		Sample now = read();
		this.samples.addLast(now);
		Instant oldest = now.at().minus(this.properties.window()).minus(this.properties.sampleInterval());
		while (this.samples.size() > 1 && this.samples.peekFirst().at().isBefore(oldest)) {
			this.samples.removeFirst();
		}
	}

	/**
	 * The intervals between the kept samples, and the one from the last sample until now,
	 * oldest first.
	 */
	synchronized List<Interval> intervals() {
		List<Interval> intervals = new ArrayList<>();
		Sample previous = null;
		List<Sample> all = new ArrayList<>(this.samples);
		all.add(read());
		for (Sample sample : all) {
			if (previous != null && sample.at().isAfter(previous.at())) {
				intervals.add(new Interval(previous.at(), sample.at(), difference(sample.sent(), previous.sent()),
						difference(sample.failed(), previous.failed())));
			}
			previous = sample;
		}
		return intervals;
	}

	private static Map<String, Long> difference(Map<String, Double> now, Map<String, Double> before) {
		Map<String, Long> difference = new TreeMap<>();
		now.forEach((channel, total) -> difference.put(channel,
				Math.max(0, Math.round(total - before.getOrDefault(channel, 0.0)))));
		return difference;
	}

	private Sample read() {
		return new Sample(this.clock.instant(), totals(SENT), totals(FAILED));
	}

	private Map<String, Double> totals(String name) {
		Map<String, Double> totals = new TreeMap<>();
		if (this.registry != null) {
			for (Counter counter : this.registry.find(name).counters()) {
				String channel = counter.getId().getTag("channel");
				if (channel != null) {
					totals.merge(channel, counter.count(), Double::sum);
				}
			}
		}
		return totals;
	}

}
