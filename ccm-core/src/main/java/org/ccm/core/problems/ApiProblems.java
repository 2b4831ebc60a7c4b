package org.ccm.core.problems;

import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import jakarta.servlet.http.HttpServletRequest;
import org.hibernate.TransactionException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.validation.method.ParameterValidationResult;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindException;

/**
 * The fallback for every REST API of the platform: what the web framework itself refuses
 * (malformed JSON, validation, missing headers, unknown paths, wrong methods and media
 * types), {@link ProblemException}s from any module, and unexpected exceptions, which
 * answer {@code 500} without a word about their cause. Modules' own advices come first;
 * this one is last.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
class ApiProblems extends ResponseEntityExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger(ApiProblems.class);

	private static final String UNAVAILABLE_DETAIL = "The platform cannot reach its database at the moment; nothing was "
			+ "done. Retry later (a send with the same Idempotency-Key)";

	private static final String BUSY_DETAIL = "The platform is too busy to take the request at the moment; nothing was "
			+ "done. Retry later (a send with the same Idempotency-Key)";

	@Override
	protected @Nullable ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		List<FieldProblem> errors = ex.getBindingResult()
			.getFieldErrors()
			.stream()
			.map((error) -> new FieldProblem(error.getField(),
					error.getDefaultMessage() != null ? error.getDefaultMessage() : "is invalid"))
			.toList();
		return ProblemType.VALIDATION.answer("The request has invalid fields", errors);
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleHandlerMethodValidationException(
			HandlerMethodValidationException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		List<FieldProblem> errors = ex.getParameterValidationResults()
			.stream()
			.flatMap((result) -> result.getResolvableErrors()
				.stream()
				.map((error) -> new FieldProblem(parameterName(result),
						error.getDefaultMessage() != null ? error.getDefaultMessage() : "is invalid")))
			.toList();
		return ProblemType.VALIDATION.answer("The request has invalid parameters", errors);
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		Throwable cause = ex.getMostSpecificCause();
		if (cause instanceof DatabindException databind && !databind.getPath().isEmpty()) {
			String field = databind.getPath()
				.stream()
				.map((ref) -> ref.getPropertyName() != null ? ref.getPropertyName() : "[" + ref.getIndex() + "]")
				.collect(Collectors.joining("."))
				.replace(".[", "[");
			return ProblemType.VALIDATION.answer("The request body has a field of the wrong type",
					List.of(new FieldProblem(field, databind.getOriginalMessage())));
		}
		String message = (cause instanceof JacksonException jackson) ? jackson.getOriginalMessage()
				: "The request body is missing or is not valid JSON";
		return ProblemType.VALIDATION.answer("The request body could not be read",
				List.of(new FieldProblem("body", message)));
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleMissingServletRequestParameter(
			MissingServletRequestParameterException ex, HttpHeaders headers, HttpStatusCode status,
			WebRequest request) {
		return ProblemType.VALIDATION.answer("A required parameter is missing",
				List.of(new FieldProblem(ex.getParameterName(), "is required")));
	}

	/**
	 * Whatever else the framework refuses keeps its status and gets the type that stands
	 * for it.
	 */
	@Override
	protected ResponseEntity<Object> createResponseEntity(@Nullable Object body, HttpHeaders headers,
			HttpStatusCode statusCode, WebRequest request) {
		if (body instanceof ProblemDetail problem && !String.valueOf(problem.getType()).startsWith("urn:ccm:")) {
			ProblemType.forStatus(statusCode.value()).ifPresent((type) -> {
				problem.setType(type.uri());
				problem.setTitle(type.title());
			});
		}
		return super.createResponseEntity(body, headers, statusCode, request);
	}

	@ExceptionHandler
	ResponseEntity<Object> missingHeader(MissingRequestHeaderException ex) {
		return ProblemType.VALIDATION.answer("A required header is missing",
				List.of(new FieldProblem(ex.getHeaderName(), "is required")));
	}

	@ExceptionHandler
	ResponseEntity<Object> typeMismatch(MethodArgumentTypeMismatchException ex) {
		Class<?> required = ex.getRequiredType();
		return ProblemType.VALIDATION
			.answer("A parameter has the wrong type", List.of(new FieldProblem(ex.getName(), "cannot be read as "
					+ ((required != null) ? required.getSimpleName().toLowerCase(Locale.ROOT) : "the expected type"))));
	}

	@ExceptionHandler
	ResponseEntity<Object> described(ProblemException ex) {
		return ex.type().answer(String.valueOf(ex.getMessage()), ex.fields());
	}

	/**
	 * The database cannot be reached (no connection within the pool's connection timeout,
	 * or the connection broke): answered at once so that clients retry, rather than
	 * waiting on a request that cannot succeed. The transaction did not commit, so a
	 * retried send with the same idempotency key is safe.
	 */
	@ExceptionHandler({ DataAccessResourceFailureException.class, TransientDataAccessResourceException.class,
			CannotCreateTransactionException.class })
	ResponseEntity<Object> databaseUnavailable(Exception ex, HttpServletRequest request) {
		// overloaded, every pooled connection in use: the same answer, but saying so
		boolean busy = DatabaseOutage.isBusy(ex);
		log.warn("{} answering {} {}: {}", busy ? "No free database connection" : "Database unavailable",
				request.getMethod(), request.getRequestURI(), ex.getMessage());
		return ResponseEntity.status(ProblemType.UNAVAILABLE.status())
			.header(HttpHeaders.RETRY_AFTER, String.valueOf(ProblemType.RETRY_AFTER_SECONDS))
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.body(ProblemType.UNAVAILABLE.problem(busy ? BUSY_DETAIL : UNAVAILABLE_DETAIL, List.of()));
	}

	/**
	 * An exception nobody mapped, from a REST controller: logged with its cause, answered
	 * without it. Pages are left to the application's error page.
	 */
	@ExceptionHandler
	ResponseEntity<Object> unexpected(Exception ex, HttpServletRequest request) throws Exception {
		if (!fromRestController(request) || isSecurityException(ex)) {
			throw ex;
		}
		if (DatabaseOutage.isCause(ex)) {
			// the database went away in the middle (a failed rollback, a broken
			// connection)
			return databaseUnavailable(ex, request);
		}
		log.error("Unexpected error answering {} {}", request.getMethod(), request.getRequestURI(), ex);
		return ProblemType.INTERNAL.answer("The request could not be completed; the error has been logged");
	}

	private static boolean fromRestController(HttpServletRequest request) {
		return request.getAttribute(HandlerMapping.BEST_MATCHING_HANDLER_ATTRIBUTE) instanceof HandlerMethod handler
				&& (AnnotatedElementUtils.hasAnnotation(handler.getBeanType(), ResponseBody.class)
						|| handler.hasMethodAnnotation(ResponseBody.class));
	}

	// Spring Security translates these into 401/403 further out; they must pass
	private static boolean isSecurityException(Exception ex) {
		return ex.getClass().getName().startsWith("org.springframework.security.");
	}

	private static String parameterName(ParameterValidationResult result) {
		String name = result.getMethodParameter().getParameterName();
		return name != null ? name : "parameter";
	}

}
