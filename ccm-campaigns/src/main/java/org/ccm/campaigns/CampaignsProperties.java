package org.ccm.campaigns;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Configuration of the campaign engine ({@code ccm.campaigns.*}).
 *
 * @param topic the Kafka topic recipients are handed over on, keyed by customer
 * @param pageSize the most recipients one fan-out round reads from the snapshot
 * @param fanOutInterval the pause between fan-out rounds (also bounds how long a token
 * bucket's burst lasts)
 * @param coordinateInterval the pause between rounds of the coordinating job (start,
 * settle, release, next step, finish)
 * @param requeueAfter a recipient handed to Kafka but not accepted after this long is
 * handed over again (its idempotency key makes that safe)
 * @param maxInFlight the most recipients of one campaign handed to Kafka and not yet
 * accepted by delivery: the fan-out waits for delivery instead of queueing the whole list
 * at once, so that no recipient waits in Kafka long enough to be handed over again
 * @param rateWindow the window over which progress reports the hand-over rate
 * @param metersInterval the pause between refreshes of the per-status recipient gauges
 * ({@code ccm.campaigns.recipients}), which count every recipient of each active campaign
 */
@ConfigurationProperties("ccm.campaigns")
@Validated
record CampaignsProperties(@DefaultValue("ccm.campaigns.recipients") @NotBlank String topic,
		@DefaultValue("4") @Min(1) int partitions, @DefaultValue("1") @Min(1) short replicas,
		@DefaultValue("500") @Min(1) @Max(10_000) int pageSize,
		@DefaultValue("PT0.1S") @NotNull Duration fanOutInterval,
		@DefaultValue("PT0.5S") @NotNull Duration coordinateInterval,
		@DefaultValue("PT2M") @NotNull Duration requeueAfter, @DefaultValue("1000") @Min(1) int maxInFlight,
		@DefaultValue("PT10S") @NotNull Duration sendTimeout, @DefaultValue("PT10S") @NotNull Duration rateWindow,
		@DefaultValue("PT15S") @NotNull Duration metersInterval) {

}
