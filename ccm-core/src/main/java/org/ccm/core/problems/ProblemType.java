package org.ccm.core.problems;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/**
 * The kinds of error the REST API answers, each with a stable {@code type} URI, its HTTP
 * status and a title that does not change from one occurrence to the next. The
 * {@code detail} says what went wrong this time; {@code errors} lists the fields at fault
 * where there are any. Clients switch on {@code type}, never on {@code detail}.
 * Documented in {@code docs/api-errors.md}; a test keeps the two in step.
 */
public enum ProblemType {

	/** Fields, parameters, headers or the body are missing, malformed or invalid. */
	VALIDATION("validation", HttpStatus.BAD_REQUEST, "The request has invalid fields"),

	/** No API key, or one that is unknown or revoked. */
	UNAUTHENTICATED("unauthenticated", HttpStatus.UNAUTHORIZED, "Authentication required"),

	/** The caller is known but may not do this. */
	FORBIDDEN("forbidden", HttpStatus.FORBIDDEN, "Not allowed"),

	/** The resource named in the path does not exist (or no longer does). */
	NOT_FOUND("not-found", HttpStatus.NOT_FOUND, "Not found"),

	/** The path exists but not with this HTTP method. */
	METHOD_NOT_ALLOWED("method-not-allowed", HttpStatus.METHOD_NOT_ALLOWED, "Method not allowed"),

	/** The resource cannot answer in any of the media types the request accepts. */
	NOT_ACCEPTABLE("not-acceptable", HttpStatus.NOT_ACCEPTABLE, "Not acceptable"),

	/** The request conflicts with the resource's current state. */
	CONFLICT("conflict", HttpStatus.CONFLICT, "Conflict with the current state"),

	/** The request body is larger than the API accepts. */
	CONTENT_TOO_LARGE("content-too-large", HttpStatus.CONTENT_TOO_LARGE, "Request body too large"),

	/** The request body is in a media type this operation does not read. */
	UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type"),

	/** Well-formed, but names something that cannot be used (an unpublished template). */
	UNPROCESSABLE("unprocessable", HttpStatus.UNPROCESSABLE_CONTENT, "The request cannot be processed"),

	/** The idempotency key was already used with a different request body. */
	IDEMPOTENCY_KEY_REUSED("idempotency-key-reused", HttpStatus.UNPROCESSABLE_CONTENT,
			"Idempotency key reused with another request"),

	/** Too many requests from this API key or client address; see {@code Retry-After}. */
	TOO_MANY_REQUESTS("too-many-requests", HttpStatus.TOO_MANY_REQUESTS, "Too many requests"),

	/**
	 * The platform cannot reach its database for the moment (a restart, a failover), or
	 * is too busy to get a connection to it: nothing was done; retry after
	 * {@code Retry-After} seconds, a send with the same idempotency key.
	 */
	UNAVAILABLE("unavailable", HttpStatus.SERVICE_UNAVAILABLE, "Temporarily unavailable"),

	/**
	 * A query ran longer than its statement timeout and was stopped (a segment rule too
	 * costly for the database); simplify the request or retry later.
	 */
	QUERY_TIMEOUT("query-timeout", HttpStatus.SERVICE_UNAVAILABLE, "The query took too long"),

	/** Something failed on the platform's side; the detail never says what. */
	INTERNAL("internal", HttpStatus.INTERNAL_SERVER_ERROR, "Internal error");

	/** Seconds a client waits before it retries after {@link #UNAVAILABLE}. */
	public static final int RETRY_AFTER_SECONDS = 5;

	private static final String PREFIX = "urn:ccm:problem:";

	private final URI uri;

	private final HttpStatus status;

	private final String title;

	ProblemType(String name, HttpStatus status, String title) {
		this.uri = URI.create(PREFIX + name);
		this.status = status;
		this.title = title;
	}

	public URI uri() {
		return this.uri;
	}

	public HttpStatus status() {
		return this.status;
	}

	public String title() {
		return this.title;
	}

	/**
	 * The type that stands for a status when nothing more specific is known, used by the
	 * fallback for errors raised by the web framework itself.
	 */
	public static Optional<ProblemType> forStatus(int status) {
		for (ProblemType type : values()) {
			if (type.status.value() == status) {
				return Optional.of(type);
			}
		}
		return Optional.empty();
	}

	/**
	 * The problem detail of this type; {@code instance} is filled in with the request
	 * path when the answer is written.
	 */
	public ProblemDetail problem(String detail, List<FieldProblem> errors) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(this.status, detail);
		problem.setType(this.uri);
		problem.setTitle(this.title);
		if (!errors.isEmpty()) {
			problem.setProperty("errors",
					errors.stream()
						.map((error) -> Map.of("field", error.field(), "message", error.message()))
						.toList());
		}
		return problem;
	}

	/**
	 * The answer a controller or an advice returns.
	 */
	public ResponseEntity<Object> answer(String detail, List<FieldProblem> errors) {
		return ResponseEntity.status(this.status)
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.body(problem(detail, errors));
	}

	public ResponseEntity<Object> answer(String detail) {
		return answer(detail, List.of());
	}

}
