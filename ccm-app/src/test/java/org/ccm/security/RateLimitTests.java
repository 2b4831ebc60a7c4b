package org.ccm.security;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rate limit when its buckets' database cannot be reached: an API call is answered
 * {@code 503} at once, anything else goes through unchecked.
 */
class RateLimitTests {

	// nothing listens on port 1: every connection attempt is refused
	final RateLimitBuckets unreachable = new RateLimitBuckets(
			new DriverManagerDataSource("jdbc:postgresql://127.0.0.1:1/ccm?connectTimeout=2", "postgres", "postgres"));

	final JsonMapper json = JsonMapper.builder().build();

	final RateLimit limit = new RateLimit("per API key", "api-key", 600, (request) -> "caller", this.unreachable,
			this.json);

	@Test
	void anApiCallWithoutADatabaseIsAnsweredUnavailableAtOnce() throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/v1/communications");
		MockHttpServletResponse response = new MockHttpServletResponse();
		MockFilterChain chain = new MockFilterChain();

		this.limit.doFilter(request, response, chain);

		assertThat(chain.getRequest()).as("the call goes no further").isNull();
		assertThat(response.getStatus()).isEqualTo(503);
		assertThat(response.getHeader("Retry-After")).isNotBlank();
		assertThat(response.getContentType()).isEqualTo("application/problem+json");
		JsonNode problem = this.json.readTree(response.getContentAsString());
		assertThat(problem.get("type").asText()).isEqualTo("urn:ccm:problem:unavailable");
		assertThat(problem.get("instance").asText()).isEqualTo("/api/v1/communications");
	}

	@Test
	void otherRequestsGoThroughUncheckedWhenTheBucketsCannotBeRead() throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/t/o/some-token.gif");
		MockHttpServletResponse response = new MockHttpServletResponse();
		MockFilterChain chain = new MockFilterChain();

		this.limit.doFilter(request, response, chain);

		assertThat(chain.getRequest()).isSameAs(request);
		assertThat(response.getStatus()).isEqualTo(200);
	}

}
