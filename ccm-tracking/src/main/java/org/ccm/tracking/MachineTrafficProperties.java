package org.ccm.tracking;

import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * What tells a machine's open or click from a person's. Such hits are recorded, flagged
 * with the rule that caught them, and kept out of engagement rates, delivery statuses,
 * the timeline and so segment rules.
 *
 * @param proxyUserAgents parts of user agents of image proxies that fetch the pixel
 * whether or not anyone reads the message (opens only)
 * @param proxyRanges address ranges of such proxies, Apple Mail Privacy Protection's
 * prefetch in Apple's 17.0.0.0/8 by default (opens only)
 * @param scannerUserAgents parts of user agents of mail security scanners and scripts
 * (opens and clicks)
 * @param scannerRanges address ranges of mail security scanners (opens and clicks)
 * @param clickAfterSending a click this soon after the message was sent is a scanner's
 * (mail gateways follow links on arrival); zero turns the rule off
 * @param clickBurst clicks on different links of one message this close together are a
 * scanner following every link; zero turns the rule off
 */
@ConfigurationProperties("ccm.tracking.machine")
@Validated
record MachineTrafficProperties(@DefaultValue( {
		"GoogleImageProxy", "YahooMailProxy", "ggpht.com" }) List<String> proxyUserAgents,
		@DefaultValue("17.0.0.0/8") List<String> proxyRanges,
		@DefaultValue({ "Barracuda", "Proofpoint", "Mimecast", "Symantec", "Forcepoint", "Trend Micro",
				"Cisco-IronPort", "HeadlessChrome", "python-requests", "Go-http-client", "curl/",
				"Wget/" }) List<String> scannerUserAgents,
		@DefaultValue({}) List<String> scannerRanges, @DefaultValue("10s") @NotNull Duration clickAfterSending,
		@DefaultValue("1s") @NotNull Duration clickBurst){

}
