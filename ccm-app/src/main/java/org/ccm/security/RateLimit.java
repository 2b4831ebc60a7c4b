package org.ccm.security;

import java.io.IOException;
import java.time.Duration;
import java.util.function.Function;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

import tools.jackson.databind.json.JsonMapper;

/**
 * A token bucket per caller (an API key, or a client address on the public endpoints):
 * {@code perMinute} requests a minute, refilled each minute. A caller over its limit gets
 * {@code 429} problem details with {@code Retry-After}. Buckets live in this instance, so
 * with N replicas behind a balancer a caller may reach N times the limit.
 */
final class RateLimit extends OncePerRequestFilter {

	private final String name;

	private final long perMinute;

	private final Function<HttpServletRequest, @Nullable String> callerOf;

	private final JsonMapper json;

	private final Cache<String, Bucket> buckets = Caffeine.newBuilder()
		.maximumSize(100_000)
		.expireAfterAccess(Duration.ofMinutes(10))
		.build();

	RateLimit(String name, long perMinute, Function<HttpServletRequest, @Nullable String> callerOf, JsonMapper json) {
		this.name = name;
		this.perMinute = perMinute;
		this.callerOf = callerOf;
		this.json = json;
	}

	@Override
	protected String getAlreadyFilteredAttributeName() {
		// one filter class, several limits: each counts once per request
		return RateLimit.class.getName() + "." + name;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String caller = callerOf.apply(request);
		if (caller == null) {
			chain.doFilter(request, response);
			return;
		}
		Bucket bucket = buckets.get(caller, (key) -> Bucket.builder()
			.addLimit(
					Bandwidth.builder().capacity(perMinute).refillIntervally(perMinute, Duration.ofMinutes(1)).build())
			.build());
		ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
		if (probe.isConsumed()) {
			response.setHeader("X-RateLimit-Remaining", Long.toString(probe.getRemainingTokens()));
			chain.doFilter(request, response);
			return;
		}
		long seconds = Math.max(1, Duration.ofNanos(probe.getNanosToWaitForRefill()).toSeconds() + 1);
		response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
		EdgeProblems.write(request, response, json, HttpStatus.TOO_MANY_REQUESTS,
				"Too many requests: at most " + perMinute + " a minute " + name + "; retry after " + seconds + " s",
				java.util.List.of());
	}

}
