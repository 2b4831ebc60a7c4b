package org.ccm.core;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.math.BigDecimal;
import java.security.Principal;
import java.time.Instant;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.IllformedLocaleException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.ccm.core.problems.FieldProblem;
import org.ccm.core.problems.ProblemType;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Customers for back-office systems.
 *
 * <p>
 * {@code PUT /api/v1/customers/{externalId}} creates ({@code 201}) or replaces
 * ({@code 200}) a customer. Body, every field optional but {@code name}:
 *
 * <pre>
 * {"name": "Alice Martin", "locale": "en-GB", "timeZone": "Europe/London",
 *  "email": "alice@example.com", "phone": "+447911123456",
 *  "postalAddress": {"lines": ["12 Orchard Lane"], "postcode": "OX1 2JD", "city": "Oxford", "country": "GB"},
 *  "attributes": {"tier": "gold"},
 *  "preferences": {"TRANSACTIONAL": ["EMAIL", "PRINT"], "MARKETING": ["EMAIL"]},
 *  "quietHours": {"start": "21:00", "end": "08:00"},
 *  "consents": [{"channel": "EMAIL", "purpose": "MARKETING", "granted": true, "source": "web form"}]}
 * </pre>
 *
 * Contact points, address, attributes, preferences and quiet hours are replaced by what
 * is sent (absent means none); a missing locale or time zone keeps the stored one.
 * Consents are changes appended to the history. Invalid email or phone, unknown channel,
 * undeclared attribute or a value of the wrong type answer {@code 400} with a field error
 * each, and nothing is written.
 *
 * <p>
 * {@code GET /api/v1/customers/{externalId}} answers the customer in the same shape, with
 * ids, contact-point states ({@code "email": {"value": ..., "state": "VERIFIED"}}), the
 * current consents ({@code channel, purpose, granted, source, recordedAt}),
 * {@code status}, {@code createdAt} and {@code updatedAt}.
 *
 * <p>
 * {@code GET /api/v1/customers/{externalId}/timeline?limit=50&cursor=...} answers
 * {@code {"entries": [{id, type, channel, communicationId, deliveryId, occurredAt,
 * detail}], "nextCursor": "..."}}, newest first; pass {@code nextCursor} back for the
 * next page, absent on the last page.
 */
@RestController
@Tag(name = "Customers",
		description = "Customers, their contact points, preferences, consents, transactions and timeline")
@RequestMapping("/api/v1/customers")
class CustomerController {

	private final Customers customers;

	private final Timeline timeline;

	private final Transactions transactions;

	private final CustomerPrivacy privacy;

	private final Topics topics;

	CustomerController(Customers customers, Timeline timeline, Transactions transactions, CustomerPrivacy privacy,
			Topics topics) {
		this.topics = topics;
		this.customers = customers;
		this.timeline = timeline;
		this.transactions = transactions;
		this.privacy = privacy;
	}

	/**
	 * Searches customers: {@code q} (exact external id, email or phone, or part of the
	 * name), {@code status}, {@code country}, {@code segment} and
	 * {@code attr.<name>=<value>} for declared attributes; paged by {@code after} (the
	 * previous page's {@code next}) and {@code limit}.
	 */
	@Operation(operationId = "searchCustomers", summary = "Search customers",
			description = "By q (exact external id, email or phone, or part of the name), status, country, segment and attr.<name>=<value> for declared attributes; paged with after (the previous page's next) and limit.")
	@GetMapping
	CustomerSearchPage search(@RequestParam(required = false) @Nullable String q,
			@RequestParam(required = false) @Nullable CustomerStatus status,
			@RequestParam(required = false) @Nullable String country,
			@RequestParam(required = false) @Nullable String segment,
			@RequestParam(required = false) @Nullable String after, @RequestParam(defaultValue = "50") int limit,
			@RequestParam Map<String, String> all) {
		Map<String, String> attributes = new LinkedHashMap<>();
		all.forEach((name, value) -> {
			if (name.startsWith("attr.")) {
				attributes.put(name.substring("attr.".length()), value);
			}
		});
		return customers.search(new CustomerQuery(q, status, country, attributes, segment, after, limit));
	}

	@Operation(operationId = "upsertCustomer", summary = "Create or replace a customer",
			description = "Contact points, address, attributes, preferences and quiet hours are replaced by what is sent (absent means none); a missing locale or time zone keeps the stored one. Consents are appended to the history. Nothing is written when a field is invalid.")
	@ApiResponse(responseCode = "201", description = "The customer was created",
			content = @Content(schema = @Schema(implementation = CustomerView.class)))
	@ApiResponse(responseCode = "200", description = "The customer was replaced",
			content = @Content(schema = @Schema(implementation = CustomerView.class)))
	@PutMapping("/{externalId}")
	ResponseEntity<CustomerView> upsert(@PathVariable String externalId, @RequestBody CustomerRequest request,
			@Nullable Principal principal) {
		UpsertOutcome outcome = customers.upsert(externalId, request.details(), actor(principal));
		return ResponseEntity.status(outcome.created() ? HttpStatus.CREATED : HttpStatus.OK)
			.body(view(outcome.customer()));
	}

	@Operation(operationId = "getCustomer", summary = "Get a customer",
			description = "With contact-point states, channel preferences and current consents.")
	@GetMapping("/{externalId}")
	CustomerView get(@PathVariable String externalId) {
		return view(find(externalId));
	}

	@Operation(operationId = "customerTimeline", summary = "Read a customer's timeline",
			description = "Communications, deliveries, opens, clicks, responses and transactions, newest first; pass nextCursor back for the next page.")
	@ApiResponse(responseCode = "200", description = "A page of the timeline",
			content = @Content(schema = @Schema(implementation = TimelinePage.class)))
	@GetMapping("/{externalId}/timeline")
	ResponseEntity<Object> timeline(@PathVariable String externalId,
			@RequestParam(required = false) @Nullable String cursor, @RequestParam(defaultValue = "50") int limit) {
		CustomerProfile customer = find(externalId);
		if (limit < 1) {
			return ProblemType.VALIDATION.answer("The page size must be positive",
					List.of(new FieldProblem("limit", "must be at least 1")));
		}
		try {
			TimelinePage page = timeline.page(customer.id(), cursor, limit);
			return ResponseEntity.ok(page);
		}
		catch (IllegalArgumentException ex) {
			return ProblemType.VALIDATION.answer("The cursor is not valid",
					List.of(new FieldProblem("cursor", "is not a cursor this API handed out")));
		}
	}

	/**
	 * Records a purchase or other transaction:
	 * {@code {"type": "PURCHASE", "product": "SKU-42", "amount": 129.90, "currency":
	 * "EUR", "occurredAt": "2026-05-01T10:00:00Z", "payload": {...}}}; {@code occurredAt}
	 * defaults to now. It also appears on the timeline as TRANSACTION.
	 */
	@Operation(operationId = "recordTransaction", summary = "Record a transaction",
			description = "A purchase or another transaction; occurredAt defaults to now. It appears on the timeline as TRANSACTION.")
	@ApiResponse(responseCode = "201", description = "The transaction was recorded",
			content = @Content(schema = @Schema(implementation = CustomerTransaction.class)))
	@PostMapping("/{externalId}/transactions")
	ResponseEntity<CustomerTransaction> recordTransaction(@PathVariable String externalId,
			@RequestBody TransactionRequest request) {
		CustomerProfile customer = find(externalId);
		CustomerTransaction recorded = transactions.record(customer.id(),
				new TransactionDetails((request.type() != null) ? request.type() : "", request.product(),
						request.amount(), request.currency(),
						(request.occurredAt() != null) ? request.occurredAt() : Instant.now(),
						(request.payload() != null) ? request.payload() : Map.of()));
		return ResponseEntity.status(HttpStatus.CREATED).body(recorded);
	}

	@Operation(operationId = "listTransactions", summary = "List a customer's transactions")
	@GetMapping("/{externalId}/transactions")
	List<CustomerTransaction> transactions(@PathVariable String externalId,
			@RequestParam(defaultValue = "100") int limit) {
		return transactions.of(find(externalId).id(), limit);
	}

	/**
	 * The current consents and their history, newest first.
	 */
	@Operation(operationId = "getConsents", summary = "Get a customer's consents",
			description = "The current consents and their history, newest first.")
	@GetMapping("/{externalId}/consents")
	Map<String, Object> consents(@PathVariable String externalId) {
		CustomerProfile customer = find(externalId);
		return Map.of("current", customer.consents(), "history", customers.consentHistory(customer.id()));
	}

	/**
	 * Records consent changes:
	 * {@code [{"channel": "SMS", "purpose": "MARKETING", "granted": false, "source":
	 * "call centre"}]}.
	 */
	@Operation(operationId = "recordConsents", summary = "Record consent changes",
			description = "Each change names a channel, a purpose and where the consent came from; answers the consents afterwards.")
	@PostMapping("/{externalId}/consents")
	Map<String, Object> recordConsents(@PathVariable String externalId, @RequestBody List<ConsentChange> changes,
			@Nullable Principal principal) {
		CustomerProfile customer = find(externalId);
		for (int i = 0; i < changes.size(); i++) {
			ConsentChange change = changes.get(i);
			if (change == null || change.channel() == null || change.purpose() == null || change.source() == null
					|| change.source().isBlank()) {
				throw new InvalidCustomerException(
						Map.of("[" + i + "]", "needs a channel, a purpose and the source of the consent"));
			}
		}
		customers.recordConsents(customer.id(), changes, actor(principal));
		return consents(externalId);
	}

	/**
	 * Who changed which field of the customer, and when.
	 */
	@Operation(operationId = "customerAudit", summary = "Read a customer's audit trail",
			description = "Who changed which field, and when.")
	@GetMapping("/{externalId}/audit")
	List<FieldChange> audit(@PathVariable String externalId) {
		return customers.auditTrail(find(externalId).id());
	}

	/**
	 * Everything held about the customer (profile, consent history, audit trail,
	 * transactions, timeline, rejected import rows), as a JSON download.
	 */
	@Operation(operationId = "exportCustomer", summary = "Export everything held about a customer",
			description = "Profile, consent history, audit trail, transactions, timeline and rejected import rows, as a JSON download (GDPR access request).")
	@GetMapping("/{externalId}/export")
	ResponseEntity<Map<String, Object>> export(@PathVariable String externalId) {
		Map<String, Object> export = new LinkedHashMap<>(privacy.export(find(externalId).id()));
		export.put("customer", view((CustomerProfile) export.get("customer")));
		return ResponseEntity.ok()
			.header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"customer-" + externalId + ".json\"")
			.body(export);
	}

	/**
	 * Erases the customer's personal data ({@code 204}); the external id is released, so
	 * it answers {@code 404} afterwards.
	 */
	@Operation(operationId = "eraseCustomer", summary = "Erase a customer",
			description = "Erases the personal data; the external id is released and answers 404 afterwards (GDPR erasure).")
	@ApiResponse(responseCode = "204", description = "The customer was erased")
	@DeleteMapping("/{externalId}")
	ResponseEntity<Void> erase(@PathVariable String externalId, @Nullable Principal principal) {
		privacy.erase(find(externalId).id(), actor(principal));
		return ResponseEntity.noContent().build();
	}

	private CustomerProfile find(String externalId) {
		return customers.findByExternalId(externalId).orElseThrow(() -> new UnknownCustomerException(externalId));
	}

	static String actor(@Nullable Principal principal) {
		return (principal != null) ? principal.getName() : "api";
	}

	record TransactionRequest(@Nullable String type, @Nullable String product, @Nullable BigDecimal amount,
			@Nullable String currency, @Nullable Instant occurredAt, @Nullable Map<String, Object> payload) {
	}

	record AddressRequest(@Nullable List<String> lines, @Nullable String postcode, @Nullable String city,
			@Nullable String country) {
	}

	record CustomerRequest(@Nullable String name, @Nullable String locale, @Nullable String timeZone,
			@Nullable String email, @Nullable String phone, @Nullable AddressRequest postalAddress,
			@Nullable Map<String, Object> attributes, @Nullable Map<Purpose, List<Channel>> preferences,
			@Nullable QuietHours quietHours, @Nullable List<ConsentChange> consents) {

		/**
		 * The details for {@link Customers#upsert}; locale and time zone are checked here
		 * because they arrive as text.
		 */
		CustomerDetails details() {
			Map<String, String> problems = new LinkedHashMap<>();
			Locale parsedLocale = null;
			if (locale != null && !locale.isBlank()) {
				try {
					parsedLocale = new Locale.Builder().setLanguageTag(locale.strip()).build();
				}
				catch (IllformedLocaleException ex) {
					problems.put("locale", "must be a BCP 47 language tag such as en-GB");
				}
			}
			ZoneId zone = null;
			if (timeZone != null && !timeZone.isBlank()) {
				try {
					zone = ZoneId.of(timeZone.strip());
				}
				catch (DateTimeException ex) {
					problems.put("timeZone", "must be an IANA time zone such as Europe/London");
				}
			}
			if (!problems.isEmpty()) {
				throw new InvalidCustomerException(problems);
			}
			PostalAddress address = (postalAddress != null)
					? new PostalAddress((postalAddress.lines() != null) ? postalAddress.lines() : List.of(),
							postalAddress.postcode() != null ? postalAddress.postcode() : "",
							postalAddress.city() != null ? postalAddress.city() : "",
							postalAddress.country() != null ? postalAddress.country() : "", ContactState.UNVERIFIED)
					: null;
			return new CustomerDetails((name != null) ? name : "", parsedLocale, zone, email, phone, address,
					(attributes != null) ? attributes : Map.of(), (preferences != null) ? preferences : Map.of(),
					quietHours, (consents != null) ? consents : List.of());
		}

	}

	record CustomerView(UUID id, String externalId, String name, String locale, String timeZone, CustomerStatus status,
			@Nullable ContactPoint email, @Nullable ContactPoint phone, @Nullable PostalAddress postalAddress,
			Map<String, Object> attributes, Map<Purpose, List<Channel>> preferences, @Nullable QuietHours quietHours,
			List<ConsentState> consents, Set<String> topicOptOuts, Instant createdAt, Instant updatedAt) {

	}

	/** The customer with the topics they opted out of. */
	private CustomerView view(CustomerProfile customer) {
		return new CustomerView(customer.id(), customer.externalId(), customer.name(),
				customer.locale().toLanguageTag(), customer.timeZone().getId(), customer.status(), customer.email(),
				customer.phone(), customer.postalAddress(), customer.attributes(), customer.channelPreferences(),
				customer.quietHours(), customer.consents(), topics.optedOut(customer.id()), customer.createdAt(),
				customer.updatedAt());
	}

}
