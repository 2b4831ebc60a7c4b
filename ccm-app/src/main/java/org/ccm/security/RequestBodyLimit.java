package org.ccm.security;

import java.io.IOException;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.ccm.core.problems.FieldProblem;
import org.ccm.core.problems.ProblemType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses API request bodies above a limit with {@code 413}, before anything reads them.
 * Bulk imports stream through their own endpoints and are exempt.
 */
final class RequestBodyLimit extends OncePerRequestFilter {

	private final long maxBytes;

	private final ProblemResponses problems;

	RequestBodyLimit(long maxBytes, ProblemResponses problems) {
		this.maxBytes = maxBytes;
		this.problems = problems;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		String path = request.getRequestURI();
		return !path.startsWith("/api/") || path.endsWith(":import");
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (request.getContentLengthLong() > maxBytes) {
			refuse(request, response);
			return;
		}
		LimitedRequest limited = new LimitedRequest(request, maxBytes);
		try {
			chain.doFilter(limited, response);
		}
		catch (ServletException | IOException | RuntimeException ex) {
			// the reader may have wrapped or handled the overflow; the flag tells
			if (!limited.exceeded) {
				throw ex;
			}
		}
		if (limited.exceeded && !response.isCommitted()) {
			response.reset();
			refuse(request, response);
		}
	}

	private void refuse(HttpServletRequest request, HttpServletResponse response) throws IOException {
		problems.write(request, response, ProblemType.CONTENT_TOO_LARGE,
				"The request body is larger than " + maxBytes + " bytes",
				List.of(new FieldProblem("body", "must not be larger than " + maxBytes + " bytes")));
	}

	/** Bodies sent without a length (chunked) are counted as they are read. */
	private static final class LimitedRequest extends HttpServletRequestWrapper {

		private final long maxBytes;

		private volatile boolean exceeded;

		LimitedRequest(HttpServletRequest request, long maxBytes) {
			super(request);
			this.maxBytes = maxBytes;
		}

		@Override
		public ServletInputStream getInputStream() throws IOException {
			ServletInputStream in = super.getInputStream();
			return new ServletInputStream() {

				private long read;

				@Override
				public int read() throws IOException {
					int b = in.read();
					if (b >= 0) {
						count(1);
					}
					return b;
				}

				@Override
				public int read(byte[] buffer, int offset, int length) throws IOException {
					int n = in.read(buffer, offset, length);
					if (n > 0) {
						count(n);
					}
					return n;
				}

				private void count(int n) {
					read += n;
					if (read > maxBytes) {
						exceeded = true;
						throw new BodyTooLarge();
					}
				}

				@Override
				public boolean isFinished() {
					return in.isFinished();
				}

				@Override
				public boolean isReady() {
					return in.isReady();
				}

				@Override
				public void setReadListener(ReadListener listener) {
					in.setReadListener(listener);
				}

			};
		}

	}

	private static final class BodyTooLarge extends RuntimeException {

		BodyTooLarge() {
			super(null, null, false, false);
		}

	}

}
