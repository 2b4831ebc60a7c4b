package org.ccm.delivery;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.ccm.delivery.spi.DeliveryFailure;
import org.ccm.delivery.spi.FailureClass;
import org.jspecify.annotations.Nullable;

/**
 * The providers of one channel (SMTP relays, SMS routes) in order of priority, each
 * behind a circuit breaker: when the first one's failure rate over the window passes the
 * threshold, messages go to the next one; after {@code switchBackAfter} a few trial
 * messages go to the first again, and it takes over once they pass. A refusal that is the
 * customer's (an invalid number) counts as the provider working.
 * <p>
 * Public only for the channel packages of this module.
 */
public final class ProviderFailover {

	static final String STATE = "ccm.delivery.provider.state";

	static final String SWITCHES = "ccm.delivery.provider.switches";

	private static final Log logger = LogFactory.getLog(ProviderFailover.class);

	private final String channel;

	private final List<Route> routes = new ArrayList<>();

	/**
	 * @param names the providers, first the preferred one
	 * @param meters where each provider's state and its switches are published (with more
	 * than one provider)
	 */
	public ProviderFailover(String channel, List<String> names, DeliveryProperties.Failover settings,
			MeterRegistry meters) {
		this.channel = channel;
		CircuitBreakerConfig config = CircuitBreakerConfig.custom()
			.failureRateThreshold(settings.failureRateThreshold())
			.slidingWindowType(CircuitBreakerConfig.SlidingWindowType.TIME_BASED)
			.slidingWindowSize((int) Math.max(1, settings.window().toSeconds()))
			.minimumNumberOfCalls(settings.minimumCalls())
			.waitDurationInOpenState(settings.switchBackAfter())
			.permittedNumberOfCallsInHalfOpenState(settings.trialCalls())
			.recordExceptions(Throwable.class)
			.build();
		for (String name : names) {
			CircuitBreaker breaker = (names.size() > 1) ? CircuitBreaker.of(channel + "-" + name, config) : null;
			if (breaker != null) {
				Gauge.builder(STATE, breaker, (watched) -> state(watched.getState()))
					.description("whether the provider carries its channel's messages: 0 in use, 1 on trial after "
							+ "failing, 2 failing (its messages go to the next provider)")
					.tags("channel", channel, "provider", name)
					.register(meters);
				breaker.getEventPublisher().onStateTransition((event) -> {
					CircuitBreaker.State to = event.getStateTransition().getToState();
					Counter.builder(SWITCHES)
						.description("changes of a provider's state: failing (open), on trial (half_open), in use "
								+ "again (closed)")
						.tags("channel", channel, "provider", name, "state", to.name().toLowerCase(Locale.ROOT))
						.register(meters)
						.increment();
					logger.warn("The " + channel + " provider " + name + " went " + to + ": messages go to "
							+ (to == CircuitBreaker.State.CLOSED ? "it again"
									: "the next provider while its failures last"));
				});
			}
			this.routes.add(new Route(name, breaker));
		}
	}

	/**
	 * The provider to use now: the first whose breaker lets a message through.
	 * @throws DeliveryFailure (temporary) when every provider is failing
	 */
	public Route choose() {
		for (Route route : this.routes) {
			if (route.breaker == null || route.breaker.tryAcquirePermission()) {
				// timed from now, for this message
				return new Route(route.name, route.breaker);
			}
		}
		throw new DeliveryFailure(FailureClass.TEMPORARY, false,
				"every " + this.channel + " provider is failing (" + names() + "); retried later");
	}

	private static int state(CircuitBreaker.State state) {
		return switch (state) {
			case CLOSED -> 0;
			case HALF_OPEN -> 1;
			default -> 2;
		};
	}

	List<String> names() {
		return this.routes.stream().map(Route::name).toList();
	}

	/** One provider and its breaker; tell it how each message it was chosen for went. */
	public static final class Route {

		private final String name;

		private final @Nullable CircuitBreaker breaker;

		private final long chosenAt = System.nanoTime();

		private Route(String name, @Nullable CircuitBreaker breaker) {
			this.name = name;
			this.breaker = breaker;
		}

		public String name() {
			return this.name;
		}

		public void succeeded() {
			if (this.breaker != null) {
				this.breaker.onSuccess(System.nanoTime() - this.chosenAt, TimeUnit.NANOSECONDS);
			}
		}

		public void failed(RuntimeException failure) {
			if (this.breaker == null) {
				return;
			}
			if (failure instanceof DeliveryFailure classified
					&& classified.failureClass() == FailureClass.PERMANENT_FOR_CUSTOMER) {
				// the provider answered, about this customer: it works
				succeeded();
			}
			else {
				this.breaker.onError(System.nanoTime() - this.chosenAt, TimeUnit.NANOSECONDS, failure);
			}
		}

	}

}
