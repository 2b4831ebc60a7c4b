package org.ccm.security;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.util.AntPathMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

import tools.jackson.databind.json.JsonMapper;

/**
 * The first filter of every request, on every path: refuses bodies above the limit with
 * {@code 413} before anything reads them, counts bodies sent without a length as they are
 * read, and refuses multipart bodies unread except on the paths that take files. The bulk
 * import and the batch send stream under their own, larger limit. Tomcat would otherwise
 * parse a multipart body to disk as soon as anything (a CSRF check, a login form) asks
 * for a parameter.
 */
final class RequestBodyLimit extends OncePerRequestFilter {

	/** Bulk endpoints that stream their bodies and bound what they read themselves. */
	static final List<String> BULK_PATHS = List.of("/api/v1/customers:import", "/api/v1/communications:batch");

	private final long maxBytes;

	private final long maxImportBytes;

	private final List<String> multipartPaths;

	private final JsonMapper json;

	private final AntPathMatcher paths = new AntPathMatcher();

	RequestBodyLimit(SecurityProperties properties, JsonMapper json) {
		this.maxBytes = properties.maxRequestBodyBytes();
		this.maxImportBytes = properties.maxImportBytes();
		this.multipartPaths = properties.multipartPaths();
		this.json = json;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String path = request.getRequestURI().substring(request.getContextPath().length());
		boolean multipart = isMultipart(request);
		if (multipart && multipartPaths.stream().noneMatch((pattern) -> paths.match(pattern, path))) {
			EdgeProblems.write(request, response, json, HttpStatus.UNSUPPORTED_MEDIA_TYPE,
					"This address takes no file uploads", "body", "must not be multipart");
			return;
		}
		long limit = ("POST".equals(request.getMethod()) && BULK_PATHS.contains(path)) || multipart ? maxImportBytes
				: maxBytes;
		if (request.getContentLengthLong() > limit) {
			refuse(request, response, limit);
			return;
		}
		LimitedRequest limited = new LimitedRequest(request, limit);
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
			refuse(request, response, limit);
		}
	}

	static boolean isMultipart(HttpServletRequest request) {
		String contentType = request.getContentType();
		return contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("multipart/");
	}

	private void refuse(HttpServletRequest request, HttpServletResponse response, long limit) throws IOException {
		EdgeProblems.write(request, response, json, HttpStatus.CONTENT_TOO_LARGE,
				"The request body is larger than " + limit + " bytes", "body",
				"must not be larger than " + limit + " bytes");
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
		public BufferedReader getReader() throws IOException {
			String encoding = getCharacterEncoding();
			return new BufferedReader(new InputStreamReader(getInputStream(),
					(encoding != null) ? Charset.forName(encoding) : StandardCharsets.ISO_8859_1));
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
