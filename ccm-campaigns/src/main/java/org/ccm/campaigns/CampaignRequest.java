package org.ccm.campaigns;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.ccm.core.Channel;
import org.ccm.core.Purpose;
import org.jspecify.annotations.Nullable;

/**
 * What a campaign sends, to whom, when and how fast.
 *
 * @param segment the key of a saved segment; its members are frozen at launch
 * @param template the key of a published template; the version published at launch is
 * used for the whole campaign
 * @param purpose {@code MARKETING}, or {@code TRANSACTIONAL} for bulk documents such as
 * annual statements
 * @param data the template data every recipient's document is composed with
 * @param pilot a share that goes first while the rest waits (not with an A/B test)
 * @param abTest variants tried on a test group before the winner goes to the rest
 * @param steps follow-up steps after the first send, each to the recipients of the step
 * before that meet its condition
 * @param excludeUnresponsive when set, members who opened, clicked or responded to none
 * of their last this many communications are skipped at launch, each with that reason
 */
public record CampaignRequest(@NotBlank @Size(max = 200) String name, @NotBlank @Size(max = 63) String segment,
		@NotBlank @Size(max = 63) String template, @NotNull Purpose purpose, @Nullable Map<String, Object> data,
		@NotNull @Valid Schedule schedule, @NotNull @Valid Throttle throttle, @Nullable @Valid Pilot pilot,
		@Nullable @Valid AbTest abTest, @Nullable @Size(max = 5) List<@NotNull @Valid Step> steps,
		@Nullable @Min(1) @Max(100) Integer excludeUnresponsive) {

	/**
	 * A campaign to every member of the segment, however they engaged before.
	 */
	public CampaignRequest(String name, String segment, String template, Purpose purpose,
			@Nullable Map<String, Object> data, Schedule schedule, Throttle throttle, @Nullable Pilot pilot,
			@Nullable AbTest abTest, @Nullable List<Step> steps) {
		this(name, segment, template, purpose, data, schedule, throttle, pilot, abTest, steps, null);
	}

	public Map<String, Object> dataOrEmpty() {
		return (this.data != null) ? this.data : Map.of();
	}

	public List<Step> stepsOrEmpty() {
		return (this.steps != null) ? this.steps : List.of();
	}

	/**
	 * When the campaign starts: at launch, at a time, or at launch but to each customer
	 * only inside a daily window of their own time zone.
	 */
	public record Schedule(@NotNull ScheduleKind kind, @Nullable Instant at, @Nullable LocalTime windowStart,
			@Nullable LocalTime windowEnd) {

	}

	public enum ScheduleKind {

		NOW, AT, LOCAL_WINDOW

	}

	/**
	 * How fast recipients are handed to delivery: overall and, optionally, per channel
	 * (the channel each customer is expected on).
	 */
	public record Throttle(@Min(1) @Max(100_000) int perSecond,
			@Nullable Map<Channel, @NotNull @Min(1) @Max(100_000) Integer> perChannel) {

		public Map<Channel, Integer> perChannelOrEmpty() {
			return (this.perChannel != null) ? this.perChannel : Map.of();
		}

	}

	/**
	 * A pilot share: a percentage or a number of customers. The rest is held until it is
	 * released through the API, or automatically {@code releaseAfter} the launch.
	 */
	public record Pilot(@Nullable @Min(1) @Max(99) Integer percent, @Nullable @Min(1) Integer customers,
			@Nullable Duration releaseAfter) {

	}

	/**
	 * An A/B test: a test group of {@code testPercent} of the recipients is split between
	 * the variants by their shares; after {@code winner.after} the variant with the best
	 * rate goes to the rest.
	 */
	public record AbTest(@NotNull @Size(min = 2, max = 4) List<@NotNull @Valid Variant> variants,
			@Min(1) @Max(100) int testPercent, @NotNull @Valid WinnerRule winner) {

	}

	/**
	 * @param templateVersion a version of the campaign's template (approved, published or
	 * retired)
	 * @param share its share of the test group in percent
	 */
	public record Variant(@NotBlank @Size(max = 100) String name, @Min(1) int templateVersion,
			@Min(1) @Max(100) int share) {

	}

	public record WinnerRule(@NotNull Metric metric, @NotNull Duration after) {

	}

	/** What makes a variant win, or a follow-up step skip a recipient. */
	public enum Metric {

		OPENED(3), CLICKED(4), RESPONDED(5);

		private final int rank;

		Metric(int rank) {
			this.rank = rank;
		}

		int rank() {
			return this.rank;
		}

	}

	/**
	 * A follow-up: {@code after} the step before started, to those of its recipients who
	 * were sent it and did not reach {@code unless} (no condition: all of them), on
	 * {@code channel} (or their preference) with {@code template} (or the campaign's).
	 */
	public record Step(@NotNull Duration after, @Nullable Metric unless, @Nullable Channel channel,
			@Nullable @Size(max = 63) String template) {

	}

}
