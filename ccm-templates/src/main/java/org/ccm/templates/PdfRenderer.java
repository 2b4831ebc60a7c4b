package org.ccm.templates;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.openhtmltopdf.outputdevice.helper.BaseRendererBuilder.FontStyle;
import com.openhtmltopdf.pdfboxout.PDFontSupplier;
import com.openhtmltopdf.pdfboxout.PdfRendererBuilder;
import com.openhtmltopdf.pdfboxout.PdfRendererBuilder.PdfAConformance;
import com.openhtmltopdf.util.XRLog;
import org.apache.fontbox.ttf.TTFParser;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.pdfbox.io.RandomAccessReadBuffer;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.jsoup.Jsoup;
import org.jsoup.helper.W3CDom;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * HTML to PDF/A-3u (and PDF/UA when accessible) with openhtmltopdf in fast mode. The
 * DejaVu fonts shipped in the module are read once and parsed once per thread (a parsed
 * TrueType font is not thread-safe), then embedded as subsets; parsing them per document
 * would cost more than the layout itself.
 */
@Component
class PdfRenderer {

	/**
	 * A font file and the family names it answers to: CSS generic families arrive as
	 * {@code SansSerif}, {@code Serif} and {@code Monospaced}.
	 */
	record EmbeddedFont(String file, int weight, List<String> families) {
	}

	static final List<EmbeddedFont> FONTS = List.of(
			new EmbeddedFont("DejaVuSans.ttf", 400, List.of("DejaVu Sans", "SansSerif")),
			new EmbeddedFont("DejaVuSans-Bold.ttf", 700, List.of("DejaVu Sans", "SansSerif")),
			new EmbeddedFont("DejaVuSerif.ttf", 400, List.of("DejaVu Serif", "Serif")),
			new EmbeddedFont("DejaVuSerif-Bold.ttf", 700, List.of("DejaVu Serif", "Serif")),
			new EmbeddedFont("DejaVuSansMono.ttf", 400, List.of("DejaVu Sans Mono", "Monospaced")));

	private static final byte[] SRGB = ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData();

	static {
		// its logging halves throughput
		XRLog.setLoggingEnabled(false);
	}

	private final Map<String, byte[]> fontBytes = new HashMap<>();

	private final ThreadLocal<Map<String, TrueTypeFont>> parsed = ThreadLocal.withInitial(HashMap::new);

	PdfRenderer() {
		for (EmbeddedFont font : FONTS) {
			try (InputStream in = PdfRenderer.class.getResourceAsStream("/ccm-templates/fonts/" + font.file())) {
				if (in == null) {
					throw new IllegalStateException("font missing from the module: " + font.file());
				}
				this.fontBytes.put(font.file(), in.readAllBytes());
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
	}

	/**
	 * @param accessible tag the document for PDF/UA
	 */
	byte[] render(String html, boolean accessible) {
		org.jsoup.nodes.Document parsedHtml = Jsoup.parse(html);
		org.w3c.dom.Document document = new W3CDom().fromJsoup(parsedHtml);
		ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
		try (PDDocument pdf = new PDDocument()) {
			PdfRendererBuilder builder = new PdfRendererBuilder();
			builder.useFastMode();
			builder.usePDDocument(pdf);
			for (EmbeddedFont font : FONTS) {
				PDFontSupplier supplier = new ParsedFont(pdf, font.file());
				for (String family : font.families()) {
					builder.useFont(supplier, family, font.weight(), FontStyle.NORMAL, true);
				}
			}
			builder.usePdfAConformance(PdfAConformance.PDFA_3_U);
			builder.useColorProfile(SRGB);
			if (accessible) {
				builder.usePdfUaAccessibility(true);
			}
			builder.withProducer("CCM");
			builder.withW3cDocument(document, "about:blank");
			builder.toStream(out);
			builder.run();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("could not render the PDF", ex);
		}
		return out.toByteArray();
	}

	private TrueTypeFont font(String file) {
		return this.parsed.get().computeIfAbsent(file, (name) -> {
			try {
				return new TTFParser().parse(new RandomAccessReadBuffer(this.fontBytes.get(name)));
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		});
	}

	/**
	 * Loads the thread's parsed font into the document only when the layout uses it.
	 */
	private final class ParsedFont extends PDFontSupplier {

		private final PDDocument document;

		private final String file;

		private @Nullable PDFont loaded;

		ParsedFont(PDDocument document, String file) {
			super(null);
			this.document = document;
			this.file = file;
		}

		@Override
		public PDFont supply() {
			if (this.loaded == null) {
				try {
					this.loaded = PDType0Font.load(this.document, font(this.file), true);
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			}
			return this.loaded;
		}

	}

}
