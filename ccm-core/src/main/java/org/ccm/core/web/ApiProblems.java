package org.ccm.core.web;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.ccm.core.ConcurrentEditException;
import org.ccm.core.InvalidCustomerException;
import org.ccm.core.InvalidSegmentException;
import org.ccm.core.UnknownCustomerException;
import org.ccm.core.UnknownSegmentException;
import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.method.ParameterValidationResult;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindException;

/**
 * Turns every client error of the REST API into an RFC 9457 problem detail. Field
 * problems are listed under {@code errors} as {@code {field, message}} pairs, the field
 * written as a JSON pointer-like path ({@code data.lines[0].quantity}), so a client can
 * show them next to its input. Other modules map their own exceptions the same way.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
public class ApiProblems extends ResponseEntityExceptionHandler {

	static final URI VALIDATION = URI.create("urn:ccm:problem:validation");

	@Override
	protected @Nullable ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		List<FieldProblem> errors = ex.getBindingResult()
			.getFieldErrors()
			.stream()
			.map((error) -> new FieldProblem(error.getField(),
					error.getDefaultMessage() != null ? error.getDefaultMessage() : "is invalid"))
			.toList();
		return problem(HttpStatus.BAD_REQUEST, "The request has invalid fields", errors);
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
		return problem(HttpStatus.BAD_REQUEST, "The request has invalid parameters", errors);
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
			return problem(HttpStatus.BAD_REQUEST, "The request body has a field of the wrong type",
					List.of(new FieldProblem(field, databind.getOriginalMessage())));
		}
		String message = (cause instanceof JacksonException jackson) ? jackson.getOriginalMessage()
				: "The request body is missing or is not valid JSON";
		return problem(HttpStatus.BAD_REQUEST, "The request body could not be read",
				List.of(new FieldProblem("body", message)));
	}

	@ExceptionHandler
	ResponseEntity<Object> missingHeader(MissingRequestHeaderException ex) {
		return problem(HttpStatus.BAD_REQUEST, "A required header is missing",
				List.of(new FieldProblem(ex.getHeaderName(), "is required")));
	}

	@ExceptionHandler
	ResponseEntity<Object> typeMismatch(MethodArgumentTypeMismatchException ex) {
		return problem(HttpStatus.BAD_REQUEST, "A parameter has the wrong type",
				List.of(new FieldProblem(ex.getName(),
						"cannot be read as " + (ex.getRequiredType() != null
								? ex.getRequiredType().getSimpleName().toLowerCase(java.util.Locale.ROOT)
								: "the expected type"))));
	}

	@ExceptionHandler
	ResponseEntity<Object> unknownCustomer(UnknownCustomerException ex) {
		return problem(HttpStatus.NOT_FOUND, ex.getMessage(), List.of(new FieldProblem("customer", ex.getMessage())));
	}

	@ExceptionHandler
	ResponseEntity<Object> invalidCustomer(InvalidCustomerException ex) {
		return problem(HttpStatus.BAD_REQUEST, "The customer data has invalid fields",
				ex.problems()
					.entrySet()
					.stream()
					.map((problem) -> new FieldProblem(problem.getKey(), problem.getValue()))
					.toList());
	}

	@ExceptionHandler
	ResponseEntity<Object> invalidSegment(InvalidSegmentException ex) {
		return problem(HttpStatus.BAD_REQUEST, "The segment has invalid fields",
				ex.problems()
					.entrySet()
					.stream()
					.map((problem) -> new FieldProblem(problem.getKey(), problem.getValue()))
					.toList());
	}

	@ExceptionHandler
	ResponseEntity<Object> unknownSegment(UnknownSegmentException ex) {
		return problem(HttpStatus.NOT_FOUND, ex.getMessage(), List.of(new FieldProblem("segment", ex.getMessage())));
	}

	@ExceptionHandler
	ResponseEntity<Object> concurrentEdit(ConcurrentEditException ex) {
		return problem(HttpStatus.CONFLICT, ex.getMessage(),
				List.of(new FieldProblem(ex.field(), "is not the current one: reload and apply your change again")));
	}

	private static String parameterName(ParameterValidationResult result) {
		String name = result.getMethodParameter().getParameterName();
		return name != null ? name : "parameter";
	}

	/**
	 * Builds a problem response with field errors; public so that every module's
	 * controllers answer in the same shape.
	 */
	public static ResponseEntity<Object> problem(HttpStatus status, String detail, List<FieldProblem> errors) {
		ProblemDetail body = ProblemDetail.forStatusAndDetail(status, detail);
		if (!errors.isEmpty()) {
			body.setType(VALIDATION);
			body.setProperty("errors",
					errors.stream()
						.map((error) -> Map.of("field", error.field(), "message", error.message()))
						.toList());
		}
		return ResponseEntity.status(status)
			.contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON)
			.body(body);
	}

}
