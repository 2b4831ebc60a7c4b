package org.ccm.security;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit record of a call answered while the database is away: the answer reaches the
 * client before the record waits for a connection, and is not cut off when it fails.
 */
class AuditedRequestsTests {

	final MockHttpServletResponse response = new MockHttpServletResponse();

	// whether the answer was on its way when the audit record asked for a connection
	final AtomicReference<Boolean> committedWhenAudited = new AtomicReference<>();

	final AuditedRequests filter = new AuditedRequests(new AuditLog(JdbcClient.create(new DriverManagerDataSource() {

		@Override
		public Connection getConnection() throws SQLException {
			AuditedRequestsTests.this.committedWhenAudited.set(AuditedRequestsTests.this.response.isCommitted());
			throw new SQLTransientConnectionException("Connection is not available, request timed out");
		}

	}), null));

	@Test
	void anUnavailableAnswerIsSentBeforeTheAuditRecordWaitsForTheDatabase() throws Exception {
		this.filter.doFilter(new MockHttpServletRequest("POST", "/api/v1/communications"), this.response,
				(request, response) -> {
					this.response.setStatus(503);
					this.response.getWriter().write("{\"type\":\"urn:ccm:problem:unavailable\"}");
				});

		assertThat(this.committedWhenAudited.get()).as("the answer went out first").isTrue();
		assertThat(this.response.getStatus()).isEqualTo(503);
		assertThat(this.response.getContentAsString()).contains("unavailable");
	}

	@Test
	void otherAnswersAreAuditedBeforeTheyAreSent() throws Exception {
		this.filter.doFilter(new MockHttpServletRequest("POST", "/api/v1/communications"), this.response,
				(request, response) -> this.response.setStatus(202));

		assertThat(this.committedWhenAudited.get()).isFalse();
		assertThat(this.response.getStatus()).isEqualTo(202);
	}

}
