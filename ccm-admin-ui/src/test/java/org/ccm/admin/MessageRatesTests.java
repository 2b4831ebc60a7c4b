package org.ccm.admin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Per-interval figures from delivery's cumulative counters: differences between samples,
 * summed over providers, and only as far back as the window.
 */
class MessageRatesTests {

	final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	final MutableClock clock = new MutableClock(Instant.parse("2026-12-03T09:00:00Z"));

	final MessageRates rates = new MessageRates(this.registry, new OperationsProperties(3, Duration.ofMinutes(3),
			Duration.ofMinutes(1), Duration.ofHours(24), 200, Duration.ofSeconds(3)), this.clock);

	@Test
	void eachIntervalCountsWhatWasSentAndFailedInItPerChannel() {
		this.rates.sample();
		sent("email", "smtp", 40);
		sent("email", "other", 2);
		failed("email", 3);
		this.clock.advance(Duration.ofMinutes(1));
		this.rates.sample();
		sent("sms", "twilio", 5);
		this.clock.advance(Duration.ofSeconds(20));

		List<MessageRates.Interval> intervals = this.rates.intervals();
		assertThat(intervals).hasSize(2);
		assertThat(intervals.get(0).sent()).containsEntry("email", 42L);
		assertThat(intervals.get(0).failed()).containsEntry("email", 3L);
		assertThat(intervals.get(1).sent()).containsEntry("email", 0L).containsEntry("sms", 5L);
		assertThat(intervals.get(1).to()).isEqualTo(Instant.parse("2026-12-03T09:01:20Z"));
	}

	@Test
	void samplesOlderThanTheWindowAreDropped() {
		for (int minute = 0; minute < 10; minute++) {
			this.rates.sample();
			sent("email", "smtp", 1);
			this.clock.advance(Duration.ofMinutes(1));
		}
		List<MessageRates.Interval> intervals = this.rates.intervals();
		assertThat(intervals).hasSizeBetween(3, 5);
		assertThat(intervals.get(0).from()).isAfterOrEqualTo(Instant.parse("2026-12-03T09:05:00Z"));
	}

	@Test
	void withoutARegistryThereIsNothingToCount() {
		MessageRates unmetered = new MessageRates(null, new OperationsProperties(3, Duration.ofHours(1),
				Duration.ofMinutes(1), Duration.ofHours(24), 200, Duration.ofSeconds(3)), this.clock);
		unmetered.sample();
		this.clock.advance(Duration.ofMinutes(1));
		assertThat(unmetered.metered()).isFalse();
		assertThat(unmetered.intervals()).singleElement().satisfies((i) -> assertThat(i.sent()).isEmpty());
	}

	private void sent(String channel, String provider, int count) {
		Counter.builder(MessageRates.SENT)
			.tags("channel", channel, "provider", provider)
			.register(this.registry)
			.increment(count);
	}

	private void failed(String channel, int count) {
		Counter.builder(MessageRates.FAILED)
			.tags("channel", channel, "provider", "smtp", "failure", "permanent")
			.register(this.registry)
			.increment(count);
	}

	static final class MutableClock extends Clock {

		private Instant now;

		MutableClock(Instant now) {
			this.now = now;
		}

		void advance(Duration duration) {
			this.now = this.now.plus(duration);
		}

		@Override
		public ZoneOffset getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return this.now;
		}

	}

}
