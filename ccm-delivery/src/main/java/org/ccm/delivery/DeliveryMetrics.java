package org.ccm.delivery;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.ccm.core.Channel;
import org.ccm.core.Purpose;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The module's meters (names in {@code docs/metrics.md}). Meters are looked up once per
 * tag combination and kept, so counting costs a map lookup per message.
 */
@Component
class DeliveryMetrics {

	static final String ACCEPTED = "ccm.communications.accepted";

	static final String QUEUED = "ccm.messages.queued";

	static final String SENT = "ccm.messages.sent";

	static final String FAILED = "ccm.messages.failed";

	static final String RETRIED = "ccm.messages.retried";

	static final String FOLLOW_UP_FAILED = "ccm.messages.follow.up.failed";

	static final String COMPOSITION = "ccm.messages.composition";

	static final String PROVIDER = "ccm.messages.provider";

	private final MeterRegistry registry;

	private final Map<String, Counter> counters = new ConcurrentHashMap<>();

	private final Map<String, Timer> timers = new ConcurrentHashMap<>();

	DeliveryMetrics(ObjectProvider<MeterRegistry> registry) {
		this.registry = registry.getIfAvailable(SimpleMeterRegistry::new);
	}

	void accepted(Purpose purpose) {
		counter(ACCEPTED, "communications accepted for delivery (replays not counted)", "purpose", tag(purpose))
			.increment();
	}

	void queued(Channel channel) {
		counter(QUEUED, "deliveries routed to a channel and queued for its worker", "channel", tag(channel))
			.increment();
	}

	void sent(Channel channel, String provider) {
		counter(SENT, "messages the provider took", "channel", tag(channel), "provider", provider).increment();
	}

	void failed(Channel channel, String provider, String failure) {
		counter(FAILED, "failed sending attempts: temporary ones are retried, permanent ones fall back", "channel",
				tag(channel), "provider", provider, "failure", failure)
			.increment();
	}

	void retried(Channel channel, Duration delay) {
		counter(RETRIED, "deliveries put on a retry topic after a temporary failure, by the pause before the retry",
				"channel", tag(channel), "delay", delay.toString())
			.increment();
	}

	void followUpFailed(Channel channel, String step) {
		counter(FOLLOW_UP_FAILED, "messages the provider took whose follow-up (status, archive copy) failed", "channel",
				tag(channel), "step", step)
			.increment();
	}

	void composed(Channel channel, long nanos) {
		timer(COMPOSITION, "composing a message for its channel", "channel", tag(channel), "outcome", "success")
			.record(Duration.ofNanos(nanos));
	}

	void provided(Channel channel, String provider, String outcome, long nanos) {
		timer(PROVIDER, "handing a composed message to the provider", "channel", tag(channel), "provider", provider,
				"outcome", outcome)
			.record(Duration.ofNanos(nanos));
	}

	private Counter counter(String name, String description, String... tags) {
		return this.counters.computeIfAbsent(key(name, tags),
				(key) -> Counter.builder(name).description(description).tags(tags).register(this.registry));
	}

	private Timer timer(String name, String description, String... tags) {
		return this.timers.computeIfAbsent(key(name, tags),
				(key) -> Timer.builder(name).description(description).tags(tags).register(this.registry));
	}

	private static String key(String name, String... tags) {
		return name + String.join("|", tags);
	}

	private static String tag(Enum<?> value) {
		return value.name().toLowerCase(Locale.ROOT);
	}

}
