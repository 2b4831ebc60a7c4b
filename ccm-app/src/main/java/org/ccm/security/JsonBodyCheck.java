package org.ccm.security;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Enumeration;
import java.util.Locale;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Text hygiene at the edge, for every JSON body and form post before any controller or
 * database sees it: no NUL characters and no unpaired surrogates in any string or field
 * name (PostgreSQL refuses the first, and the second turns into a question mark in a
 * customer's invoice), and JSON no deeper, no wider and no longer than the configured
 * limits (a segment rule with 100,000 values would reach the database as as many
 * parameters). The answer is {@code 400} naming the field. Bodies are already limited in
 * size, so a JSON body is read once into memory and handed on unchanged.
 */
final class JsonBodyCheck extends OncePerRequestFilter {

	private static final String BODY = JsonBodyCheck.class.getName() + ".body";

	private final SecurityProperties.Json limits;

	private final JsonMapper json;

	JsonBodyCheck(SecurityProperties.Json limits, JsonMapper json) {
		this.limits = limits;
		this.json = json;
	}

	/**
	 * The JSON body of a request that passed this filter, for decisions that depend on
	 * it.
	 */
	static byte @Nullable [] body(HttpServletRequest request) {
		return (byte[]) request.getAttribute(BODY);
	}

	/**
	 * Bulk endpoints stream their bodies (a batch of 10,000 sends must not be held in
	 * memory) and check each item as they read it.
	 */
	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return RequestBodyLimit.BULK_PATHS
			.contains(request.getRequestURI().substring(request.getContextPath().length()));
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String contentType = (request.getContentType() != null) ? request.getContentType().toLowerCase(Locale.ROOT)
				: "";
		if (isJson(contentType)) {
			byte[] body = request.getInputStream().readAllBytes();
			Problem problem = check(body);
			if (problem != null) {
				EdgeProblems.write(request, response, json, HttpStatus.BAD_REQUEST, problem.detail(), problem.field(),
						problem.message());
				return;
			}
			request.setAttribute(BODY, body);
			chain.doFilter(new ReadAgain(request, body), response);
			return;
		}
		if (contentType.startsWith("application/x-www-form-urlencoded")) {
			Enumeration<String> names = request.getParameterNames();
			while (names.hasMoreElements()) {
				String name = names.nextElement();
				for (String value : request.getParameterValues(name)) {
					String message = textProblem(name + value);
					if (message != null) {
						EdgeProblems.write(request, response, json, HttpStatus.BAD_REQUEST,
								"A form field has invalid text", clean(name), message);
						return;
					}
				}
			}
		}
		chain.doFilter(request, response);
	}

	private static boolean isJson(String contentType) {
		return contentType.startsWith("application/json")
				|| (contentType.startsWith("application/") && contentType.contains("+json"));
	}

	@Nullable Problem check(byte[] body) {
		if (body.length == 0) {
			return null;
		}
		try (JsonParser parser = json.createParser(body)) {
			int[] arrayCounts = new int[limits.maxDepth() + 2];
			JsonToken token;
			while ((token = parser.nextToken()) != null) {
				TokenStreamContext context = parser.streamReadContext();
				if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
					Problem problem = countElement(parser, arrayCounts);
					if (problem != null) {
						return problem;
					}
					if (context.getNestingDepth() > limits.maxDepth()) {
						return new Problem("The request body is nested too deeply", field(context),
								"must not be nested more than " + limits.maxDepth() + " levels deep");
					}
					if (token == JsonToken.START_ARRAY) {
						arrayCounts[context.getNestingDepth()] = 0;
					}
				}
				else if (token == JsonToken.PROPERTY_NAME) {
					String message = textProblem(parser.getString());
					if (message != null) {
						return new Problem("A field name has invalid text", field(context), message);
					}
				}
				else if (token.isScalarValue()) {
					Problem problem = countElement(parser, arrayCounts);
					if (problem != null) {
						return problem;
					}
					if (token == JsonToken.VALUE_STRING) {
						String text = parser.getString();
						String message = (text.length() > limits.maxStringLength())
								? "must not be longer than " + limits.maxStringLength() + " characters"
								: textProblem(text);
						if (message != null) {
							return new Problem("A field has invalid text", field(context), message);
						}
					}
				}
			}
			return null;
		}
		catch (StreamReadException ex) {
			// not JSON: the controller's reader answers that, with its own message
			return null;
		}
	}

	/** Counts a value in its enclosing array, if it is in one. */
	private @Nullable Problem countElement(JsonParser parser, int[] arrayCounts) {
		TokenStreamContext context = parser.streamReadContext();
		TokenStreamContext container = parser.currentToken().isStructStart() ? context.getParent() : context;
		if (container != null && container.inArray()) {
			int depth = container.getNestingDepth();
			if (depth < arrayCounts.length && ++arrayCounts[depth] > limits.maxArrayElements()) {
				return new Problem("A list in the request body is too long", field(container),
						"must not have more than " + limits.maxArrayElements() + " elements");
			}
		}
		return null;
	}

	/**
	 * Why a text is refused, or {@code null} when it is fine.
	 */
	static @Nullable String textProblem(String text) {
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == 0) {
				return "must not contain the NUL character";
			}
			if (Character.isHighSurrogate(c)) {
				if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
					i++;
					continue;
				}
				return "must not contain an unpaired surrogate (\\u" + Integer.toHexString(c) + ")";
			}
			if (Character.isLowSurrogate(c)) {
				return "must not contain an unpaired surrogate (\\u" + Integer.toHexString(c) + ")";
			}
		}
		return null;
	}

	/**
	 * The field a parser stands in, written as the controllers write it:
	 * {@code data.lines[0].quantity}.
	 */
	private static String field(TokenStreamContext context) {
		StringBuilder path = new StringBuilder();
		for (TokenStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
			String separator = (path.isEmpty() || path.charAt(0) == '[') ? "" : ".";
			if (c.inArray()) {
				path.insert(0, "[" + Math.max(0, c.getCurrentIndex()) + "]" + separator);
			}
			else if (c.currentName() != null) {
				path.insert(0, clean(c.currentName()) + separator);
			}
		}
		return path.isEmpty() ? "body" : path.toString();
	}

	/** A field name as it may be echoed: the offending characters replaced. */
	private static String clean(String name) {
		StringBuilder clean = new StringBuilder(name.length());
		name.codePoints()
			.forEach((cp) -> clean.appendCodePoint(
					(cp == 0 || (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE)) ? 0xFFFD : cp));
		return clean.toString();
	}

	record Problem(String detail, String field, String message) {
	}

	/** Hands the body on as it came. */
	private static final class ReadAgain extends HttpServletRequestWrapper {

		private final byte[] body;

		ReadAgain(HttpServletRequest request, byte[] body) {
			super(request);
			this.body = body;
		}

		@Override
		public ServletInputStream getInputStream() {
			ByteArrayInputStream in = new ByteArrayInputStream(body);
			return new ServletInputStream() {

				@Override
				public int read() {
					return in.read();
				}

				@Override
				public int read(byte[] buffer, int offset, int length) {
					return in.read(buffer, offset, length);
				}

				@Override
				public boolean isFinished() {
					return in.available() == 0;
				}

				@Override
				public boolean isReady() {
					return true;
				}

				@Override
				public void setReadListener(ReadListener listener) {
					throw new UnsupportedOperationException("the body is already in memory");
				}

			};
		}

		@Override
		public java.io.BufferedReader getReader() {
			String encoding = getCharacterEncoding();
			return new java.io.BufferedReader(new java.io.InputStreamReader(getInputStream(), (encoding != null)
					? java.nio.charset.Charset.forName(encoding) : java.nio.charset.StandardCharsets.UTF_8));
		}

	}

}
