package org.ccm.campaigns;

import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.ccm.core.Channel;
import org.ccm.core.Segments;
import org.ccm.templates.InvalidTemplateDataException;
import org.ccm.templates.TemplateSummary;
import org.ccm.templates.Templates;
import org.ccm.templates.VersionState;
import org.springframework.stereotype.Component;

/**
 * The checks a campaign must pass before it is stored: every problem is collected and
 * named by its field, so a client can fix them all at once.
 */
@Component
class CampaignValidation {

	private final Segments segments;

	private final Templates templates;

	CampaignValidation(Segments segments, Templates templates) {
		this.segments = segments;
		this.templates = templates;
	}

	void check(CampaignRequest request, Instant now) {
		Map<String, String> problems = new LinkedHashMap<>();
		if (this.segments.find(request.segment()).isEmpty()) {
			problems.put("segment", "no segment '" + request.segment() + "'");
		}
		Optional<TemplateSummary> template = this.templates.findPublished(request.template());
		if (template.isEmpty()) {
			problems.put("template", "template '" + request.template() + "' has no published version");
		}
		else {
			data(request.template(), null, request, problems);
		}
		schedule(request.schedule(), now, problems);
		template.ifPresent((published) -> request.throttle()
			.perChannelOrEmpty()
			.keySet()
			.stream()
			.filter((channel) -> !published.channels().contains(channel))
			.forEach((channel) -> problems.put("throttle.perChannel." + channel.name(),
					"template '" + published.key() + "' has no published version for " + channel.name())));
		pilot(request, problems);
		template.ifPresent((published) -> abTest(request, problems));
		steps(request, template, problems);
		if (!problems.isEmpty()) {
			throw new InvalidCampaignException(problems);
		}
	}

	private void data(String template, Integer version, CampaignRequest request, Map<String, String> problems) {
		try {
			if (version == null) {
				this.templates.validate(template, request.dataOrEmpty());
			}
			else {
				this.templates.validate(template, version, request.dataOrEmpty());
			}
		}
		catch (InvalidTemplateDataException ex) {
			ex.violations().forEach((violation) -> problems.putIfAbsent(violation.path(), violation.message()));
		}
	}

	private static void schedule(CampaignRequest.Schedule schedule, Instant now, Map<String, String> problems) {
		switch (schedule.kind()) {
			case NOW -> {
				if (schedule.at() != null) {
					problems.put("schedule.at", "must be empty for a campaign that starts at launch");
				}
			}
			case AT -> {
				if (schedule.at() == null) {
					problems.put("schedule.at", "is required");
				}
			}
			case LOCAL_WINDOW -> {
				if (schedule.windowStart() == null) {
					problems.put("schedule.windowStart", "is required");
				}
				if (schedule.windowEnd() == null) {
					problems.put("schedule.windowEnd", "is required");
				}
				else if (schedule.windowStart() != null && !schedule.windowEnd().isAfter(schedule.windowStart())) {
					problems.put("schedule.windowEnd", "must be after windowStart");
				}
			}
		}
		if (schedule.at() != null && !schedule.at().isAfter(now)) {
			problems.putIfAbsent("schedule.at", "is in the past");
		}
	}

	private static void pilot(CampaignRequest request, Map<String, String> problems) {
		CampaignRequest.Pilot pilot = request.pilot();
		if (pilot == null) {
			return;
		}
		if ((pilot.percent() == null) == (pilot.customers() == null)) {
			problems.put("pilot", "give either percent or customers");
		}
		if (pilot.releaseAfter() != null && pilot.releaseAfter().isNegative()) {
			problems.put("pilot.releaseAfter", "must not be negative");
		}
		if (request.abTest() != null) {
			problems.put("pilot", "a campaign has a pilot or an A/B test, not both");
		}
	}

	private void abTest(CampaignRequest request, Map<String, String> problems) {
		CampaignRequest.AbTest test = request.abTest();
		if (test == null) {
			return;
		}
		if (test.variants().stream().mapToInt(CampaignRequest.Variant::share).sum() != 100) {
			problems.put("abTest.variants", "shares must add up to 100");
		}
		Set<String> names = new HashSet<>();
		for (int i = 0; i < test.variants().size(); i++) {
			CampaignRequest.Variant variant = test.variants().get(i);
			if (!names.add(variant.name())) {
				problems.put("abTest.variants[" + i + "].name", "is used by another variant");
			}
			Optional<VersionState> state = this.templates.versionState(request.template(), variant.templateVersion());
			if (state.isEmpty() || state.get() == VersionState.DRAFT || state.get() == VersionState.IN_REVIEW) {
				problems.put("abTest.variants[" + i + "].templateVersion",
						"template '" + request.template() + "' has no approved version " + variant.templateVersion());
			}
			else {
				data(request.template(), variant.templateVersion(), request, problems);
			}
		}
		if (test.winner().after().isNegative()) {
			problems.put("abTest.winner.after", "must not be negative");
		}
	}

	private void steps(CampaignRequest request, Optional<TemplateSummary> campaignTemplate,
			Map<String, String> problems) {
		List<CampaignRequest.Step> steps = request.stepsOrEmpty();
		for (int i = 0; i < steps.size(); i++) {
			CampaignRequest.Step step = steps.get(i);
			String field = "steps[" + i + "]";
			if (step.after().isNegative()) {
				problems.put(field + ".after", "must not be negative");
			}
			Optional<TemplateSummary> template = campaignTemplate;
			if (step.template() != null) {
				template = this.templates.findPublished(step.template());
				if (template.isEmpty()) {
					problems.put(field + ".template", "template '" + step.template() + "' has no published version");
				}
				else {
					data(step.template(), null, request, problems);
				}
			}
			Channel channel = step.channel();
			if (channel != null && template.isPresent() && !template.get().channels().contains(channel)) {
				problems.put(field + ".channel",
						"template '" + template.get().key() + "' has no published version for " + channel.name());
			}
		}
	}

}
