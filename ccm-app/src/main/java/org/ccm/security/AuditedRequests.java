package org.ccm.security;

import java.io.IOException;
import java.util.List;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.dao.DataAccessException;
import org.springframework.transaction.TransactionException;
import org.springframework.util.AntPathMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Writes every staff and API change (any request that is not a read) and every export of
 * personal data to the audit log once it is answered: who, which address, the outcome,
 * and a digest of the JSON body that was sent. Refused attempts are recorded too.
 * Sign-ins are recorded by the sign-in itself.
 */
final class AuditedRequests extends OncePerRequestFilter {

	private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

	/**
	 * Reads that hand personal data out in bulk or as documents, and staff viewing a
	 * customer's portal as the customer.
	 */
	private static final List<String> EXPORTS = List.of("/api/v1/customers/*/export",
			"/api/v1/communications/*/documents/**", "/api/v1/segments/*/members", "/api/v1/imports/*/rejected",
			"/admin/communications/*/documents/**", "/admin/customers/*/portal", "/admin/customers/*/portal/**");

	private static final Set<String> SELF_AUDITED = Set.of("/admin/login", SecondFactorPages.CODE);

	private final AuditLog audit;

	private final AntPathMatcher paths = new AntPathMatcher();

	AuditedRequests(AuditLog audit) {
		this.audit = audit;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String path = request.getRequestURI().substring(request.getContextPath().length());
		boolean write = !READS.contains(request.getMethod());
		boolean export = !write && EXPORTS.stream().anyMatch((pattern) -> paths.match(pattern, path));
		if ((!write && !export) || SELF_AUDITED.contains(path)) {
			chain.doFilter(request, response);
			return;
		}
		try {
			chain.doFilter(request, response);
		}
		finally {
			int status = response.getStatus();
			AuditLog.Outcome outcome = (status == 401 || status == 403) ? AuditLog.Outcome.DENIED
					: (status >= 400) ? AuditLog.Outcome.FAILURE : AuditLog.Outcome.SUCCESS;
			if (status == 503 && !response.isCommitted()) {
				// most likely the database is away: the record below waits for a
				// connection, the client need not
				response.flushBuffer();
			}
			byte[] body = JsonBodyCheck.body(request);
			String action = (export ? "export " : "") + request.getMethod() + " " + path;
			try {
				audit.record(action, path, outcome, null,
						(body != null && body.length > 0) ? AuditLog.digest(body) : null, "status " + status);
			}
			catch (DataAccessException | TransactionException ex) {
				// the database is away (the answer is most likely 503 for that reason):
				// the
				// answer is finished all the same rather than cut off, and the lost
				// record is logged
				logger.error("Audit record not written, the database is unavailable: " + action + ", " + outcome
						+ ", status " + status + ", from " + request.getRemoteAddr(), ex);
			}
		}
	}

}
