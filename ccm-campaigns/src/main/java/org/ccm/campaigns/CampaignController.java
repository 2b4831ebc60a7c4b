package org.ccm.campaigns;

import java.net.URI;
import java.security.Principal;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The campaign API: create a draft, launch it, steer it and watch it.
 */
@RestController
@Tag(name = "Campaigns",
		description = "A segment, a template and a schedule: sent in throttled waves with live progress")
@RequestMapping("/api/v1/campaigns")
class CampaignController {

	private final Campaigns campaigns;

	CampaignController(Campaigns campaigns) {
		this.campaigns = campaigns;
	}

	@Operation(operationId = "createCampaign", summary = "Create a campaign",
			description = "Stores a draft campaign: a segment, a template, a purpose, a schedule and a throttle, optionally a pilot share, an A/B test and follow-up steps. Everything is checked before anything is stored. Answers 201 with the campaign.")
	@PostMapping
	ResponseEntity<Campaign> create(@Valid @RequestBody CampaignRequest request, @Nullable Principal principal) {
		Campaign campaign = this.campaigns.create(request, (principal != null) ? principal.getName() : "anonymous");
		return ResponseEntity.created(URI.create("/api/v1/campaigns/" + campaign.id())).body(campaign);
	}

	@Operation(operationId = "listCampaigns", summary = "List campaigns",
			description = "Campaigns newest first, a page at a time.")
	@GetMapping
	CampaignPage list(@RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size) {
		return this.campaigns.list(page, size);
	}

	@Operation(operationId = "getCampaign", summary = "Get a campaign",
			description = "The campaign with its state and settings.")
	@GetMapping("/{id}")
	Campaign get(@PathVariable UUID id) {
		return this.campaigns.find(id).orElseThrow(() -> new UnknownCampaignException(id));
	}

	@Operation(operationId = "launchCampaign", summary = "Launch a campaign",
			description = "Pins the published template version, freezes the segment's members as recipients and starts (or schedules) the send. A second launch answers 409.")
	@PostMapping("/{id}/launch")
	Campaign launch(@PathVariable UUID id) {
		return this.campaigns.launch(id);
	}

	@Operation(operationId = "pauseCampaign", summary = "Pause a campaign",
			description = "Stops handing recipients over; what is in flight drains.")
	@PostMapping("/{id}/pause")
	Campaign pause(@PathVariable UUID id) {
		return this.campaigns.pause(id);
	}

	@Operation(operationId = "resumeCampaign", summary = "Resume a campaign",
			description = "Continues from the frozen recipient list: nobody is sent twice, nobody is skipped.")
	@PostMapping("/{id}/resume")
	Campaign resume(@PathVariable UUID id) {
		return this.campaigns.resume(id);
	}

	@Operation(operationId = "cancelCampaign", summary = "Cancel a campaign",
			description = "Marks every recipient not yet accepted CANCELLED at once.")
	@PostMapping("/{id}/cancel")
	Campaign cancel(@PathVariable UUID id) {
		return this.campaigns.cancel(id);
	}

	@Operation(operationId = "releaseCampaign", summary = "Release the held share",
			description = "Sends the rest after a pilot, or the A/B winner to the remainder, without waiting for the configured time.")
	@PostMapping("/{id}/release")
	Campaign release(@PathVariable UUID id) {
		return this.campaigns.release(id);
	}

	@Operation(operationId = "getCampaignProgress", summary = "Follow a campaign",
			description = "Sent of total, rate, ETA and counts per status and channel.")
	@GetMapping("/{id}/progress")
	CampaignProgress progress(@PathVariable UUID id) {
		return this.campaigns.progress(id);
	}

	@Operation(operationId = "getCampaignResults", summary = "Campaign results",
			description = "Funnel sent, delivered, opened, clicked and responded per step, variant and channel.")
	@GetMapping("/{id}/results")
	CampaignResults results(@PathVariable UUID id) {
		return this.campaigns.results(id);
	}

}
