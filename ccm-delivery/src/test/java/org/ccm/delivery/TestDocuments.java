package org.ccm.delivery;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.ccm.core.Channel;
import org.ccm.core.Purpose;
import org.ccm.templates.ComposedDocument;
import org.ccm.templates.Composition;
import org.ccm.templates.DataViolation;
import org.ccm.templates.InvalidTemplateDataException;
import org.ccm.templates.TemplateSummary;
import org.ccm.templates.UnknownTemplateException;

/**
 * A stand-in for the templates module in module tests: an {@code invoice} template that
 * needs an {@code invoiceNumber}, composed into small but real documents for every
 * channel.
 */
final class TestDocuments {

	static final String INVOICE = "invoice";

	static final byte[] PDF = pdf(2);

	private TestDocuments() {
	}

	static TemplateSummary validate(String key, Map<String, Object> data) {
		if (!INVOICE.equals(key)) {
			throw new UnknownTemplateException(key);
		}
		if (!(data.get("invoiceNumber") instanceof String)) {
			throw new InvalidTemplateDataException(key,
					List.of(new DataViolation("/invoiceNumber", "is required and must be a string")));
		}
		return new TemplateSummary(INVOICE, Purpose.TRANSACTIONAL, Set.of(Channel.values()), 1);
	}

	static ComposedDocument compose(Composition composition) {
		String number = String.valueOf(composition.data().get("invoiceNumber"));
		String name = composition.customer().name();
		return switch (composition.channel()) {
			case EMAIL -> new ComposedDocument(INVOICE, 1, Channel.EMAIL, Locale.ENGLISH, "Invoice " + number + " – €",
					"<html><body><p>Dear " + name + ", invoice " + number + ' '
							+ "<a href=\"https://example.com/pay\">pay</a></p></body></html>",
					"Dear " + name + ", invoice " + number, PDF, List.of("green-tariff"));
			case SMS -> new ComposedDocument(INVOICE, 1, Channel.SMS, Locale.ENGLISH, null, null,
					"Invoice " + number + " is ready", null, List.of());
			case PRINT -> new ComposedDocument(INVOICE, 1, Channel.PRINT, Locale.ENGLISH, "Invoice " + number, null,
					null, PDF, List.of());
			case PORTAL -> new ComposedDocument(INVOICE, 1, Channel.PORTAL, Locale.ENGLISH, "Invoice " + number,
					"<article>Invoice " + number + "</article>", null, PDF, List.of());
		};
	}

	static byte[] pdf(int pages) {
		try (PDDocument document = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
			for (int i = 0; i < pages; i++) {
				document.addPage(new PDPage());
			}
			document.save(out);
			return out.toByteArray();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
