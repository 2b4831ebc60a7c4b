package org.ccm.templates;

import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.stream.Collectors;

import org.ccm.core.Channel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.verapdf.gf.foundry.VeraGreenfieldFoundryProvider;
import org.verapdf.pdfa.Foundries;
import org.verapdf.pdfa.PDFAParser;
import org.verapdf.pdfa.PDFAValidator;
import org.verapdf.pdfa.flavours.PDFAFlavour;
import org.verapdf.pdfa.results.TestAssertion;
import org.verapdf.pdfa.results.ValidationResult;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The print PDF checked by veraPDF, the reference validator, as PDF/A-3u and PDF/UA-1.
 */
@TemplatesTest
class PdfConformanceTests {

	@Autowired
	Compositions compositions;

	@BeforeAll
	static void initialiseValidator() {
		initialise();
	}

	static synchronized void initialise() {
		VeraGreenfieldFoundryProvider.initialise();
	}

	@Test
	void printPdfIsPdfA3u() throws Exception {
		byte[] pdf = print(TestCustomers.alice());
		assertCompliant(pdf, PDFAFlavour.PDFA_3_U);
	}

	@Test
	void printPdfIsPdfUa() throws Exception {
		byte[] pdf = print(TestCustomers.zofia());
		assertCompliant(pdf, PDFAFlavour.PDFUA_1);
	}

	@Test
	void letterPaperForAmericanCustomers() throws Exception {
		var customer = TestCustomers.customer("Jane Doe", java.util.Locale.US, new org.ccm.core.PostalAddress(
				List.of("350 Fifth Avenue"), "10118", "New York, NY", "US", org.ccm.core.ContactState.VERIFIED));
		byte[] pdf = print(customer);
		try (var document = org.apache.pdfbox.Loader.loadPDF(pdf)) {
			var box = document.getPage(0).getMediaBox();
			assertThat(box.getWidth()).isCloseTo(612f, org.assertj.core.data.Offset.offset(1f));
			assertThat(box.getHeight()).isCloseTo(792f, org.assertj.core.data.Offset.offset(1f));
		}
		try (var document = org.apache.pdfbox.Loader.loadPDF(print(TestCustomers.alice()))) {
			var box = document.getPage(0).getMediaBox();
			assertThat(box.getWidth()).isCloseTo(595.3f, org.assertj.core.data.Offset.offset(1f));
			assertThat(box.getHeight()).isCloseTo(841.9f, org.assertj.core.data.Offset.offset(1f));
		}
		assertCompliant(pdf, PDFAFlavour.PDFA_3_U);
	}

	private byte[] print(org.ccm.core.CustomerProfile customer) {
		return this.compositions
			.compose(new Composition("invoice", null, Channel.PRINT, customer, TestCustomers.invoice("INV-2026-0042")))
			.pdf();
	}

	static void assertCompliant(byte[] pdf, PDFAFlavour flavour) throws Exception {
		initialise();
		try (PDFAParser parser = Foundries.defaultInstance().createParser(new ByteArrayInputStream(pdf), flavour);
				PDFAValidator validator = Foundries.defaultInstance().createValidator(flavour, false)) {
			ValidationResult result = validator.validate(parser);
			String failures = result.getTestAssertions()
				.stream()
				.filter((assertion) -> assertion.getStatus() != TestAssertion.Status.PASSED)
				.map((assertion) -> assertion.getRuleId().getClause() + " " + assertion.getMessage())
				.distinct()
				.collect(Collectors.joining("\n"));
			assertThat(result.isCompliant()).as(flavour + " failures:\n" + failures).isTrue();
		}
	}

}
