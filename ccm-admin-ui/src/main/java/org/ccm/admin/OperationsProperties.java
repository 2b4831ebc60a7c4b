package org.ccm.admin;

import java.time.Duration;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The operations dashboard ({@code ccm.admin.operations.*}).
 *
 * @param failureWarningPercent a channel whose failures exceed this share of its attempts
 * is flagged
 * @param window how far back the per-minute message figures go
 * @param failuresSince how far back the list of failed deliveries goes
 * @param kafkaTimeout how long the dashboard waits for the broker's offsets
 */
@ConfigurationProperties("ccm.admin.operations")
@Validated
record OperationsProperties(@DefaultValue("3") @DecimalMin("0") @DecimalMax("100") double failureWarningPercent,
		@DefaultValue("PT1H") @NotNull Duration window, @DefaultValue("PT24H") @NotNull Duration failuresSince,
		@DefaultValue("200") @Min(1) @Max(1000) int failuresShown,
		@DefaultValue("PT3S") @NotNull Duration kafkaTimeout) {

}
