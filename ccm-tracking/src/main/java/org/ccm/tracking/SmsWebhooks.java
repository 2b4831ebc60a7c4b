package org.ccm.tracking;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.twilio.security.RequestValidator;
import jakarta.servlet.http.HttpServletRequest;
import org.ccm.core.problems.ProblemType;
import org.ccm.core.problems.FieldProblem;
import org.ccm.delivery.DeliveryStatus;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Twilio's webhooks: delivery receipts ({@code statusCallback}) and inbound messages.
 * Both are accepted only with a valid {@code X-Twilio-Signature}, computed by Twilio over
 * the public URL it called (so over the delivery id in its query) and the form
 * parameters.
 */
@RestController
class SmsWebhooks {

	private static final Logger log = LoggerFactory.getLogger(SmsWebhooks.class);

	// the opt-out keywords carriers and Twilio recognise
	private static final Set<String> OPT_OUT = Set.of("STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT",
			"OPTOUT", "REVOKE");

	private static final String EMPTY_TWIML = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>";

	private final Interactions interactions;

	private final String base;

	private final @Nullable RequestValidator validator;

	private final Clock clock = Clock.systemUTC();

	SmsWebhooks(Interactions interactions, TrackingProperties properties) {
		this.interactions = interactions;
		this.base = properties.base();
		String authToken = properties.twilio().authToken();
		this.validator = (authToken != null && !authToken.isBlank()) ? new RequestValidator(authToken) : null;
	}

	@PostMapping("/t/sms/status")
	ResponseEntity<?> status(HttpServletRequest request) {
		if (!signed(request)) {
			return forbidden();
		}
		UUID deliveryId = deliveryId(request.getParameter("delivery"));
		if (deliveryId == null) {
			return ProblemType.VALIDATION.answer("The callback names no delivery",
					List.of(new FieldProblem("delivery", "must be a delivery id")));
		}
		String providerStatus = String.valueOf(request.getParameter("MessageStatus")).toLowerCase(Locale.ROOT);
		DeliveryStatus status = switch (providerStatus) {
			case "delivered" -> DeliveryStatus.DELIVERED;
			case "undelivered", "failed" -> DeliveryStatus.PERMANENT_FAILURE;
			default -> null;
		};
		if (status != null) {
			interactions.smsReceipt(deliveryId, status, request.getParameter("To"), providerStatus, Instant.now(clock));
		}
		return ResponseEntity.noContent().build();
	}

	@PostMapping("/t/sms/inbound")
	ResponseEntity<?> inbound(HttpServletRequest request) {
		if (!signed(request)) {
			return forbidden();
		}
		String from = request.getParameter("From");
		String body = String.valueOf(request.getParameter("Body")).trim();
		if (from != null && OPT_OUT.contains(body.toUpperCase(Locale.ROOT))) {
			if (interactions.smsStop(from, body, Instant.now(clock)).isEmpty()) {
				log.info("Opt-out reply from a number that received no tracked SMS");
			}
		}
		return ResponseEntity.ok().contentType(MediaType.APPLICATION_XML).body(EMPTY_TWIML);
	}

	private boolean signed(HttpServletRequest request) {
		String signature = request.getHeader("X-Twilio-Signature");
		if (validator == null || signature == null || signature.isBlank()) {
			return false;
		}
		String query = request.getQueryString();
		String url = base + request.getRequestURI() + ((query != null) ? "?" + query : "");
		return validator.validate(url, formParameters(request, query), signature);
	}

	/**
	 * The POSTed form parameters: Twilio signs them, but not those of the URL's query,
	 * which the servlet API mixes in.
	 */
	private static Map<String, String> formParameters(HttpServletRequest request, @Nullable String query) {
		Set<String> fromQuery = (query != null)
				? UriComponentsBuilder.newInstance().query(query).build().getQueryParams().keySet() : Set.of();
		Map<String, String> parameters = new HashMap<>();
		request.getParameterMap().forEach((name, values) -> {
			if (!fromQuery.contains(name) && values.length > 0) {
				parameters.put(name, values[0]);
			}
		});
		return parameters;
	}

	private static @Nullable UUID deliveryId(@Nullable String value) {
		try {
			return (value != null) ? UUID.fromString(value) : null;
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	private static ResponseEntity<Object> forbidden() {
		return ProblemType.FORBIDDEN.answer("The request is not signed by the SMS provider",
				List.of(new FieldProblem("X-Twilio-Signature", "is missing or does not match")));
	}

}
