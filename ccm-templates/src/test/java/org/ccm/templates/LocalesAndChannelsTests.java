package org.ccm.templates;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.ccm.core.Channel;
import org.ccm.core.ContactState;
import org.ccm.core.PostalAddress;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Plain unit tests of locale fallback, SMS encoding and CSS inlining.
 */
class LocalesAndChannelsTests {

	@Test
	void localeFallsBackFromRegionToLanguageToDefault() {
		Map<String, String> variants = Map.of("default", "en", "pl", "pl", "pl-PL", "pl-PL", "de_AT", "de-AT");
		assertThat(Localized.pick(variants, Locale.forLanguageTag("pl-PL"))).isEqualTo("pl-PL");
		assertThat(Localized.pick(variants, Locale.forLanguageTag("pl"))).isEqualTo("pl");
		assertThat(Localized.pick(Map.of("default", "en", "pl", "pl"), Locale.forLanguageTag("pl-PL"))).isEqualTo("pl");
		assertThat(Localized.pick(variants, Locale.forLanguageTag("de-AT"))).isEqualTo("de-AT");
		assertThat(Localized.pick(variants, Locale.forLanguageTag("de-DE"))).isEqualTo("en");
		assertThat(Localized.pick(variants, Locale.FRANCE)).isEqualTo("en");
		assertThat(Localized.pick(Map.of("pl", "pl"), Locale.FRANCE)).isNull();
	}

	@Test
	void gsm7AndUcs2AreToldApartAndSegmentsCounted() {
		assertThat(SmsEncoding.of("Invoice INV-1: £98.15 due 30 Nov. Pay: https://example.com"))
			.isEqualTo(new SmsEncoding("GSM-7", 58, 1));
		assertThat(SmsEncoding.of("a".repeat(160))).isEqualTo(new SmsEncoding("GSM-7", 160, 1));
		assertThat(SmsEncoding.of("a".repeat(161))).isEqualTo(new SmsEncoding("GSM-7", 161, 2));
		assertThat(SmsEncoding.of("a".repeat(306))).isEqualTo(new SmsEncoding("GSM-7", 306, 2));
		assertThat(SmsEncoding.of("a".repeat(307)).segments()).isEqualTo(3);
		// the euro sign and brackets are escaped: two septets each
		assertThat(SmsEncoding.of("€5 [x]")).isEqualTo(new SmsEncoding("GSM-7", 9, 1));
		assertThat(SmsEncoding.of("Zapłać 98,15 zł")).isEqualTo(new SmsEncoding("UCS-2", 15, 1));
		assertThat(SmsEncoding.of("ł".repeat(70)).segments()).isEqualTo(1);
		assertThat(SmsEncoding.of("ł".repeat(71)).segments()).isEqualTo(2);
		assertThat(SmsEncoding.of("ł".repeat(135)).segments()).isEqualTo(3);
	}

	@Test
	void cssIsInlinedInSpecificityOrderAndInlineStylesWin() {
		Document document = Jsoup
			.parse("""
					<html><head><style>
					p { color: black; margin: 0 }
					.note { color: green }
					p.note { font-weight: bold }
					a:hover { color: red }
					@media (max-width: 600px) { p { color: blue } }
					</style></head>
					<body><p class="note" style="color: purple">a</p><p>b</p><a href="https://example.com">c</a></body></html>
					""");
		CssInliner.inline(document);
		assertThat(document.select("p.note").attr("style"))
			.isEqualTo("color: black; margin: 0;color: green;font-weight: bold;color: purple");
		assertThat(document.select("p").get(1).attr("style")).isEqualTo("color: black; margin: 0;");
		assertThat(document.select("a").attr("style")).isEmpty();
		assertThat(document.select("style").html()).contains("@media");
	}

	@Test
	void addressesAreWrittenAsTheDestinationsPostExpects() {
		assertThat(Compositions.addressLines(
				new PostalAddress(List.of("12 Orchard Lane"), "OX1 2JD", "Oxford", "GB", ContactState.VERIFIED),
				Locale.UK))
			.containsExactly("12 Orchard Lane", "OXFORD", "OX1 2JD");
		assertThat(Compositions.addressLines(
				new PostalAddress(List.of("ul. Długa 5"), "90-001", "Łódź", "PL", ContactState.VERIFIED), Locale.UK))
			.containsExactly("ul. Długa 5", "90-001 Łódź");
	}

	@Test
	void channelsEnumIsCoveredByTheInvoice() {
		assertThat(Channel.values()).hasSize(4);
	}

}
