package org.ccm.tracking;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MachineTrafficTests {

	static final String SAFARI = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15";

	static final Instant SENT = Instant.parse("2026-12-03T16:00:00Z");

	final MachineTraffic traffic = new MachineTraffic(defaults());

	@Test
	void applePrivacyProtectionPrefetchesFromApplesNetworkAreMachineOpens() {
		assertThat(traffic.open("Mozilla/5.0", "17.58.63.10")).isEqualTo(MachineTraffic.PROXY_RANGE);
		assertThat(traffic.open(SAFARI, "203.0.113.5")).isNull();
		assertThat(traffic.open(SAFARI, "2001:db8::1")).as("an IPv6 reader").isNull();
	}

	@Test
	void imageProxiesAreMachineOpensByTheirAgent() {
		assertThat(traffic.open(
				"Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)",
				"66.249.84.1"))
			.isEqualTo(MachineTraffic.IMAGE_PROXY);
		assertThat(traffic.open("YahooMailProxy; https://help.yahoo.com/kb/yahoo-mail-proxy-SLN28749.html", null))
			.isEqualTo(MachineTraffic.IMAGE_PROXY);
	}

	@Test
	void proxyRangesDoNotMakeAClickAMachines() {
		// a person on Apple's network clicks like anyone else
		assertThat(traffic.click(SAFARI, "17.58.63.10", SENT, SENT.plusSeconds(600))).isNull();
	}

	@Test
	void knownScannersAreMachinesWhetherTheyOpenOrClick() {
		String barracuda = "Mozilla/5.0 (compatible; BarracudaCentral/1.0; +http://www.barracudacentral.org)";
		assertThat(traffic.click(barracuda, "203.0.113.5", SENT, SENT.plusSeconds(600)))
			.isEqualTo(MachineTraffic.SCANNER_AGENT);
		assertThat(traffic.open(barracuda, "203.0.113.5")).isEqualTo(MachineTraffic.SCANNER_AGENT);
		assertThat(traffic.click("python-requests/2.32.3", null, null, SENT)).isEqualTo(MachineTraffic.SCANNER_AGENT);
	}

	@Test
	void clicksWithinSecondsOfSendingAreAScannersAndLaterOnesAPersons() {
		assertThat(traffic.click(SAFARI, "203.0.113.5", SENT, SENT.plusSeconds(3)))
			.isEqualTo(MachineTraffic.CLICK_AFTER_SENDING);
		assertThat(traffic.click(SAFARI, "203.0.113.5", SENT, SENT.plusSeconds(10))).isNull();
		assertThat(traffic.click(SAFARI, "203.0.113.5", null, SENT.plusSeconds(3))).as("sending not yet known")
			.isNull();
	}

	@Test
	void everyListAndWindowIsConfigurable() {
		MachineTraffic custom = new MachineTraffic(
				new MachineTrafficProperties(List.of("ProxyCorp"), List.of("198.51.100.0/24"), List.of("LinkChecker"),
						List.of("192.0.2.0/28"), Duration.ZERO, Duration.ofSeconds(2)));

		assertThat(custom.open("ProxyCorp/2", null)).isEqualTo(MachineTraffic.IMAGE_PROXY);
		assertThat(custom.open(SAFARI, "198.51.100.77")).isEqualTo(MachineTraffic.PROXY_RANGE);
		assertThat(custom.open(SAFARI, "17.58.63.10")).as("Apple's range was replaced").isNull();
		assertThat(custom.click("LinkChecker", null, null, SENT)).isEqualTo(MachineTraffic.SCANNER_AGENT);
		assertThat(custom.click(SAFARI, "192.0.2.9", null, SENT)).isEqualTo(MachineTraffic.SCANNER_RANGE);
		assertThat(custom.click(SAFARI, "192.0.2.17", null, SENT)).isNull();
		assertThat(custom.click(SAFARI, null, SENT, SENT)).as("the after-sending rule is off").isNull();
		assertThat(custom.clickBurst()).isEqualTo(Duration.ofSeconds(2));
	}

	static MachineTrafficProperties defaults() {
		return new MachineTrafficProperties(List.of("GoogleImageProxy", "YahooMailProxy", "ggpht.com"),
				List.of("17.0.0.0/8"), List.of("Barracuda", "Proofpoint", "Mimecast", "python-requests"), List.of(),
				Duration.ofSeconds(10), Duration.ofSeconds(1));
	}

}
