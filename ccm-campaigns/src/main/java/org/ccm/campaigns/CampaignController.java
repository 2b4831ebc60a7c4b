package org.ccm.campaigns;

import java.net.URI;
import java.security.Principal;
import java.util.UUID;

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
@RequestMapping("/api/v1/campaigns")
class CampaignController {

	private final Campaigns campaigns;

	CampaignController(Campaigns campaigns) {
		this.campaigns = campaigns;
	}

	@PostMapping
	ResponseEntity<Campaign> create(@Valid @RequestBody CampaignRequest request, @Nullable Principal principal) {
		Campaign campaign = this.campaigns.create(request, (principal != null) ? principal.getName() : "anonymous");
		return ResponseEntity.created(URI.create("/api/v1/campaigns/" + campaign.id())).body(campaign);
	}

	@GetMapping
	CampaignPage list(@RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size) {
		return this.campaigns.list(page, size);
	}

	@GetMapping("/{id}")
	Campaign get(@PathVariable UUID id) {
		return this.campaigns.find(id).orElseThrow(() -> new UnknownCampaignException(id));
	}

	@PostMapping("/{id}/launch")
	Campaign launch(@PathVariable UUID id) {
		return this.campaigns.launch(id);
	}

	@PostMapping("/{id}/pause")
	Campaign pause(@PathVariable UUID id) {
		return this.campaigns.pause(id);
	}

	@PostMapping("/{id}/resume")
	Campaign resume(@PathVariable UUID id) {
		return this.campaigns.resume(id);
	}

	@PostMapping("/{id}/cancel")
	Campaign cancel(@PathVariable UUID id) {
		return this.campaigns.cancel(id);
	}

	@PostMapping("/{id}/release")
	Campaign release(@PathVariable UUID id) {
		return this.campaigns.release(id);
	}

	@GetMapping("/{id}/progress")
	CampaignProgress progress(@PathVariable UUID id) {
		return this.campaigns.progress(id);
	}

	@GetMapping("/{id}/results")
	CampaignResults results(@PathVariable UUID id) {
		return this.campaigns.results(id);
	}

}
