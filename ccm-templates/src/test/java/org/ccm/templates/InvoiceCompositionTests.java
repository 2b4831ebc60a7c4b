package org.ccm.templates;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.pdfbox.text.PDFTextStripperByArea;
import org.ccm.core.Channel;
import org.ccm.core.CustomerProfile;
import org.ccm.core.Purpose;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

@TemplatesTest
class InvoiceCompositionTests {

	@Autowired
	Compositions compositions;

	@Autowired
	Templates templates;

	@Test
	void invoiceIsPublishedForEveryChannel() {
		assertThat(this.templates.findPublished("invoice")).hasValueSatisfying((summary) -> {
			assertThat(summary.publishedVersion()).isEqualTo(1);
			assertThat(summary.purpose()).isEqualTo(Purpose.TRANSACTIONAL);
			assertThat(summary.channels()).containsExactlyInAnyOrder(Channel.values());
		});
		assertThat(this.templates.findPublished("no-such-template")).isEmpty();
	}

	@Test
	void emailHasSubjectHtmlWithARealLinkTextAndThePdf() throws IOException {
		ComposedDocument email = compose(Channel.EMAIL, TestCustomers.alice(), "INV-2026-0042");
		assertThat(email.templateKey()).isEqualTo("invoice");
		assertThat(email.templateVersion()).isEqualTo(1);
		assertThat(email.subject()).isEqualTo("Your invoice INV-2026-0042 for £98.15");
		assertThat(email.html()).contains("INV-2026-0042")
			.contains("Dear Alice Martin")
			.contains("<a class=\"button\" href=\"https://portal.example.com/invoices/INV-2026-0042\"")
			.contains("View and pay your invoice")
			.contains("£84.20")
			.contains("£13.95")
			.contains("30 November 2026");
		// mail clients ignore style sheets: the layout's CSS is inlined
		assertThat(org.jsoup.Jsoup.parse(email.html()).selectFirst("a.button").attr("style"))
			.contains("background-color: #0b6e4f");
		assertThat(email.text()).contains("INV-2026-0042")
			.contains("Dear Alice Martin")
			.contains("<https://portal.example.com/invoices/INV-2026-0042>")
			.doesNotContain("<p>");
		assertThat(email.pdf()).isNotNull();
		assertThat(pdfText(email.pdf())).contains("INV-2026-0042");
		assertThat(email.offersShown()).isEmpty();
		// kept parsed for the sender, which writes out only its tracked copy; the HTML
		// above is written out from it, the same each time it is asked for
		assertThat(email.parsedHtml()).isNotNull();
		assertThat(email.html()).isEqualTo(email.parsedHtml().outerHtml()).isEqualTo(email.html());
	}

	@Test
	void smsIsShortText() {
		ComposedDocument sms = compose(Channel.SMS, TestCustomers.alice(), "INV-7");
		assertThat(sms.text())
			.isEqualTo("Invoice INV-7: £98.15 due 30 November 2026. View and pay: https://portal.example.com");
		assertThat(sms.html()).isNull();
		assertThat(sms.pdf()).isNull();
	}

	@Test
	void printPdfHasTheInvoiceAndTheAddressInTheEnvelopeWindow() throws IOException {
		ComposedDocument print = compose(Channel.PRINT, TestCustomers.alice(), "INV-2026-0042");
		assertThat(print.pdf()).isNotNull();
		assertThat(new String(print.pdf(), 0, 8)).startsWith("%PDF-");
		String text = pdfText(print.pdf());
		assertThat(text).contains("INV-2026-0042", "Alice Martin", "12 Orchard Lane", "OXFORD", "OX1 2JD",
				"Electricity, October", "£98.15", "Payment is due by the date shown", "1 / 1");
		// DIN 5008 form B: the address field starts 45 mm from the top, 20 mm from the
		// left, 85 x 45 mm; the recipient sits in its lower 27.3 mm
		String window = textInMillimetres(print.pdf(), 20, 45 + 17.7f, 85, 27.3f);
		assertThat(window).contains("Alice Martin", "12 Orchard Lane", "OXFORD", "OX1 2JD")
			.doesNotContain("INV-2026-0042");
	}

	@Test
	void longInvoicesRunOverPagesWithNumbersAndRepeatedHeadings() throws IOException {
		Map<String, Object> data = new HashMap<>(TestCustomers.invoice("INV-LONG"));
		List<Map<String, Object>> lines = new java.util.ArrayList<>();
		for (int i = 1; i <= 90; i++) {
			lines.add(Map.of("description", "Meter reading " + i, "quantity", i, "unitPrice", 0.5));
		}
		data.put("lines", lines);
		byte[] pdf = compose(Channel.PRINT, TestCustomers.alice(), data).pdf();
		try (PDDocument document = Loader.loadPDF(pdf)) {
			int pages = document.getNumberOfPages();
			assertThat(pages).isGreaterThan(1);
			PDFTextStripper stripper = new PDFTextStripper();
			stripper.setStartPage(pages);
			stripper.setEndPage(pages);
			String last = stripper.getText(document);
			assertThat(last).contains(pages + " / " + pages).contains("Description").contains("Meter reading 90");
		}
	}

	@Test
	void portalHasHtmlAndTheSamePdf() throws IOException {
		ComposedDocument portal = compose(Channel.PORTAL, TestCustomers.alice(), "INV-9");
		assertThat(portal.html()).contains("INV-9").contains("Alice Martin");
		assertThat(pdfText(portal.pdf())).contains("INV-9", "12 Orchard Lane");
	}

	@Test
	void polishCustomerReadsPolishWithPolishFormats() throws IOException {
		Map<String, Object> data = new HashMap<>(TestCustomers.invoice("FV/2026/11/7"));
		data.put("currency", "PLN");
		CustomerProfile zofia = TestCustomers.zofia();
		ComposedDocument email = this.compositions
			.compose(new Composition("invoice", null, Channel.EMAIL, zofia, data));
		assertThat(email.subject()).isEqualTo("Twoja faktura FV/2026/11/7 na kwotę 98,15\u00a0zł");
		assertThat(email.html()).contains("30 listopada 2026")
			.contains("Zobacz i opłać fakturę")
			.contains("https://portal.example.com/invoices/FV%2F2026%2F11%2F7");
		ComposedDocument print = this.compositions
			.compose(new Composition("invoice", null, Channel.PRINT, zofia, data));
		assertThat(pdfText(print.pdf())).contains("Zofia Łącka", "90-001 Łódź", "Numer faktury");
	}

	@Test
	void dataIsEscapedNotInterpreted() {
		Map<String, Object> data = new HashMap<>(TestCustomers.invoice("<script>alert(1)</script>"));
		ComposedDocument email = compose(Channel.EMAIL, TestCustomers.alice(), data);
		assertThat(email.html()).doesNotContain("<script>").contains("&lt;script&gt;");
	}

	@Test
	void composesOnManyThreadsAtOnce() throws Exception {
		var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
		try {
			List<java.util.concurrent.Future<String>> results = new java.util.ArrayList<>();
			for (int i = 0; i < 16; i++) {
				String number = "INV-T" + i;
				Channel channel = (i % 2 == 0) ? Channel.PRINT : Channel.EMAIL;
				results.add(pool
					.submit(() -> pdfText(compose(channel, TestCustomers.alice(), number).pdf()) + "|" + number));
			}
			for (var result : results) {
				String[] textAndNumber = result.get(60, java.util.concurrent.TimeUnit.SECONDS).split("\\|");
				assertThat(textAndNumber[0]).contains(textAndNumber[1], "12 Orchard Lane");
			}
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void aChannelTheTemplateLacksIsRefused() {
		assertThatExceptionOfType(UnknownTemplateException.class).isThrownBy(() -> this.compositions
			.compose(new Composition("nothing", null, Channel.SMS, TestCustomers.alice(), Map.of())));
	}

	private ComposedDocument compose(Channel channel, CustomerProfile customer, String number) {
		return compose(channel, customer, TestCustomers.invoice(number));
	}

	private ComposedDocument compose(Channel channel, CustomerProfile customer, Map<String, Object> data) {
		return this.compositions.compose(new Composition("invoice", null, channel, customer, data));
	}

	static String pdfText(byte[] pdf) throws IOException {
		try (PDDocument document = Loader.loadPDF(pdf)) {
			return new PDFTextStripper().getText(document);
		}
	}

	static String textInMillimetres(byte[] pdf, float x, float y, float width, float height) throws IOException {
		float mm = 72f / 25.4f;
		try (PDDocument document = Loader.loadPDF(pdf)) {
			PDFTextStripperByArea stripper = new PDFTextStripperByArea();
			stripper.addRegion("window", new java.awt.geom.Rectangle2D.Float(x * mm, y * mm, width * mm, height * mm));
			stripper.extractRegions(document.getPage(0));
			return stripper.getTextForRegion("window");
		}
	}

}
