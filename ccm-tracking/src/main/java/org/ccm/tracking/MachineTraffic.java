package org.ccm.tracking;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;
import org.springframework.security.web.util.matcher.IpAddressMatcher;
import org.springframework.stereotype.Component;

/**
 * Tells opens and clicks of machines from those of people, by the rules of
 * {@link MachineTrafficProperties}. A hit that a rule catches is named by that rule's
 * reason; the burst rule needs the clicks around it and is applied where they are
 * written.
 */
@Component
class MachineTraffic {

	static final String IMAGE_PROXY = "image-proxy";

	static final String PROXY_RANGE = "proxy-range";

	static final String SCANNER_AGENT = "scanner-agent";

	static final String SCANNER_RANGE = "scanner-range";

	static final String CLICK_AFTER_SENDING = "click-after-sending";

	static final String CLICK_BURST = "click-burst";

	private final List<String> proxyAgents;

	private final List<IpAddressMatcher> proxyRanges;

	private final List<String> scannerAgents;

	private final List<IpAddressMatcher> scannerRanges;

	private final Duration clickAfterSending;

	private final Duration clickBurst;

	MachineTraffic(MachineTrafficProperties properties) {
		this.proxyAgents = lower(properties.proxyUserAgents());
		this.proxyRanges = ranges(properties.proxyRanges());
		this.scannerAgents = lower(properties.scannerUserAgents());
		this.scannerRanges = ranges(properties.scannerRanges());
		this.clickAfterSending = properties.clickAfterSending();
		this.clickBurst = properties.clickBurst();
	}

	/**
	 * Why an open is a machine's, or null for a person's.
	 */
	@Nullable String open(@Nullable String userAgent, @Nullable String address) {
		if (contains(userAgent, proxyAgents)) {
			return IMAGE_PROXY;
		}
		if (within(address, proxyRanges)) {
			return PROXY_RANGE;
		}
		return scanner(userAgent, address);
	}

	/**
	 * Why a click is a machine's, or null for a person's (as far as this click alone
	 * tells: see {@link #clickBurst()}).
	 */
	@Nullable String click(@Nullable String userAgent, @Nullable String address, @Nullable Instant sentAt, Instant at) {
		String scanner = scanner(userAgent, address);
		if (scanner != null) {
			return scanner;
		}
		if (sentAt != null && !clickAfterSending.isZero() && at.isBefore(sentAt.plus(clickAfterSending))) {
			return CLICK_AFTER_SENDING;
		}
		return null;
	}

	/**
	 * Clicks on different links of a message within this time of each other are a
	 * scanner's; zero when the rule is off.
	 */
	Duration clickBurst() {
		return clickBurst;
	}

	private @Nullable String scanner(@Nullable String userAgent, @Nullable String address) {
		if (contains(userAgent, scannerAgents)) {
			return SCANNER_AGENT;
		}
		if (within(address, scannerRanges)) {
			return SCANNER_RANGE;
		}
		return null;
	}

	private static boolean contains(@Nullable String userAgent, List<String> parts) {
		if (userAgent == null || userAgent.isBlank()) {
			return false;
		}
		String agent = userAgent.toLowerCase(Locale.ROOT);
		return parts.stream().anyMatch(agent::contains);
	}

	private static boolean within(@Nullable String address, List<IpAddressMatcher> ranges) {
		if (address == null || address.isBlank() || ranges.isEmpty()) {
			return false;
		}
		try {
			return ranges.stream().anyMatch((range) -> range.matches(address));
		}
		catch (IllegalArgumentException ex) {
			// not an address (a proxy's hostname): no range holds it
			return false;
		}
	}

	private static List<String> lower(List<String> values) {
		return values.stream()
			.filter((value) -> !value.isBlank())
			.map((value) -> value.toLowerCase(Locale.ROOT))
			.toList();
	}

	private static List<IpAddressMatcher> ranges(List<String> values) {
		return values.stream()
			.filter((value) -> !value.isBlank())
			.map(String::strip)
			.map(IpAddressMatcher::new)
			.toList();
	}

}
