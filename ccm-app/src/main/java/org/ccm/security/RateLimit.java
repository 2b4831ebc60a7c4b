package org.ccm.security;

import java.io.IOException;
import java.time.Duration;
import java.util.function.Function;

import io.github.bucket4j.ConsumptionProbe;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.jspecify.annotations.Nullable;
import org.ccm.core.problems.ProblemType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ccm.core.problems.DatabaseOutage;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

import tools.jackson.databind.json.JsonMapper;

/**
 * A token bucket per caller (an API key, or a client address on the public endpoints):
 * {@code perMinute} requests a minute, refilled each minute. A caller over its limit gets
 * {@code 429} problem details with {@code Retry-After}. Buckets live in PostgreSQL and
 * are shared by every replica. When the buckets cannot be read the request goes through:
 * the limit guards capacity, and an unreachable database refuses the work anyway; an API
 * call that finds no database connection is answered {@code 503} at once, instead of
 * waiting for a connection a second time in its controller.
 */
final class RateLimit extends OncePerRequestFilter {

	private static final Logger log = LoggerFactory.getLogger(RateLimit.class);

	private final String name;

	private final long perMinute;

	private final Function<HttpServletRequest, @Nullable String> callerOf;

	private final String bucketPrefix;

	private final RateLimitBuckets buckets;

	private final JsonMapper json;

	/**
	 * @param name how the limit is named in the answer ("per API key")
	 * @param bucketPrefix what keeps this limit's buckets apart from another limit's
	 * buckets of the same caller
	 */
	RateLimit(String name, String bucketPrefix, long perMinute, Function<HttpServletRequest, @Nullable String> callerOf,
			RateLimitBuckets buckets, JsonMapper json) {
		this.name = name;
		this.bucketPrefix = bucketPrefix;
		this.buckets = buckets;
		this.perMinute = perMinute;
		this.callerOf = callerOf;
		this.json = json;
	}

	@Override
	protected String getAlreadyFilteredAttributeName() {
		// one filter class, several limits: each counts once per request
		return RateLimit.class.getName() + "." + bucketPrefix;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String caller = callerOf.apply(request);
		if (caller == null) {
			chain.doFilter(request, response);
			return;
		}
		ConsumptionProbe probe;
		try {
			probe = buckets.take(bucketPrefix, caller, perMinute);
		}
		catch (RuntimeException ex) {
			// Bucket4j wraps the driver's SQLException in its own unchecked exception
			if (DatabaseOutage.isCause(ex) && request.getRequestURI().startsWith("/api/")) {
				// no connection within the pool's timeout: an API call needs the database
				// too, so it is answered now rather than after a second wait
				log.warn("Rate limit {} not checked, the database cannot be reached: {}", name, ex.toString());
				response.setHeader(HttpHeaders.RETRY_AFTER, String.valueOf(ProblemType.RETRY_AFTER_SECONDS));
				ProblemResponses.send(request, response, json,
						ProblemType.UNAVAILABLE.problem(
								"The platform cannot reach its database at the moment; nothing was done. Retry later",
								java.util.List.of()));
				return;
			}
			log.warn("Rate limit {} not checked for this request: {}", name, ex.toString());
			chain.doFilter(request, response);
			return;
		}
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
