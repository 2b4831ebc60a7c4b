package org.ccm.templates;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.security.Principal;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Targeted offers over REST.
 */
@RestController
@Tag(name = "Offers", description = "Segment-targeted offers shown in marketing blocks")
@RequestMapping("/api/v1/offers")
class OfferController {

	private final Offers offers;

	OfferController(Offers offers) {
		this.offers = offers;
	}

	@Operation(operationId = "listOffers", summary = "List offers")
	@GetMapping
	List<Offer> list() {
		return this.offers.all();
	}

	@Operation(operationId = "getOffer", summary = "Get an offer")
	@GetMapping("/{key}")
	ResponseEntity<Offer> get(@PathVariable String key) {
		return ResponseEntity.of(this.offers.find(key));
	}

	@Operation(operationId = "saveOffer", summary = "Create or replace an offer")
	@PutMapping("/{key}")
	Offer put(@PathVariable String key, @RequestBody Offer offer, @Nullable Principal principal,
			HttpServletRequest request) {
		return this.offers.save(new Offer(key, offer.name(), offer.segment(), offer.priority(), offer.maxImpressions(),
				offer.templates(), offer.content(), offer.active(), offer.version(), offer.startsAt(), offer.endsAt()),
				TemplateController.actor(principal, request));
	}

	@Operation(operationId = "getOfferHistory", summary = "The steps of an offer",
			description = "Every save, submission, approval, rejection and retirement, with who, when and why; "
					+ "oldest first.")
	@GetMapping("/{key}/history")
	ResponseEntity<List<OfferChange>> history(@PathVariable String key) {
		return this.offers.find(key).isPresent() ? ResponseEntity.ok(this.offers.history(key))
				: ResponseEntity.notFound().build();
	}

	@Operation(operationId = "submitOffer", summary = "Submit an offer for review",
			description = "By a writer of offers; an approver other than its last editor then approves or rejects it.")
	@ApiResponse(responseCode = "200", description = "The offer is in review",
			content = @Content(schema = @Schema(implementation = Offer.class)))
	@ApiResponse(responseCode = "409", description = "The offer is not a draft, or changed since the version sent")
	@PostMapping("/{key}/submit")
	ResponseEntity<Offer> submit(@PathVariable String key, @RequestBody(required = false) @Nullable StepBody body,
			@Nullable Principal principal, HttpServletRequest request) {
		if (this.offers.find(key).isEmpty()) {
			return ResponseEntity.notFound().build();
		}
		return ResponseEntity.ok(this.offers.submit(key, (body != null) ? body.version() : null,
				TemplateController.actor(principal, request), (body != null) ? body.comment() : null));
	}

	@Operation(operationId = "rejectOffer", summary = "Send an offer in review back with changes requested",
			description = "By an approver other than its last editor; the comment says what needs to change.")
	@ApiResponse(responseCode = "200", description = "The offer is a draft again",
			content = @Content(schema = @Schema(implementation = Offer.class)))
	@ApiResponse(responseCode = "409", description = "The offer is not in review, or changed since the version sent")
	@ApiResponse(responseCode = "422", description = "The comment is missing")
	@PostMapping("/{key}/reject")
	ResponseEntity<Offer> reject(@PathVariable String key, @RequestBody(required = false) @Nullable StepBody body,
			@Nullable Principal principal, HttpServletRequest request) {
		if (this.offers.find(key).isEmpty()) {
			return ResponseEntity.notFound().build();
		}
		return ResponseEntity.ok(this.offers.reject(key, (body != null) ? body.version() : null,
				TemplateController.actor(principal, request), (body != null) ? body.comment() : null));
	}

	/**
	 * @param version the offer's version the step is based on; absent not to check it
	 */
	record StepBody(@Nullable String comment, @Nullable Long version) {
	}

	@Operation(operationId = "approveOffer", summary = "Approve an offer",
			description = "By someone other than its last editor. Documents show only approved offers; any change "
					+ "of what an offer shows takes its approval away.")
	@ApiResponse(responseCode = "200", description = "The offer is approved",
			content = @Content(schema = @Schema(implementation = Offer.class)))
	@ApiResponse(responseCode = "409", description = "The offer is approved already")
	@PostMapping("/{key}/approve")
	ResponseEntity<Offer> approve(@PathVariable String key, @Nullable Principal principal, HttpServletRequest request) {
		return ResponseEntity.of(this.offers.approve(key, TemplateController.actor(principal, request)));
	}

	@Operation(operationId = "discardOffer", summary = "Discard an offer never approved",
			description = "An offer that was ever approved has been shown in documents: retire it with "
					+ "`active: false` instead.")
	@ApiResponse(responseCode = "204", description = "The offer was discarded")
	@ApiResponse(responseCode = "409", description = "The offer was approved once and can only be retired")
	@DeleteMapping("/{key}")
	ResponseEntity<Void> discard(@PathVariable String key, @Nullable Principal principal, HttpServletRequest request) {
		return this.offers.discard(key, TemplateController.actor(principal, request))
				? ResponseEntity.noContent().build() : ResponseEntity.notFound().build();
	}

}
