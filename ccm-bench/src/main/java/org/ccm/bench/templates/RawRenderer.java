package org.ccm.bench.templates;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

import com.openhtmltopdf.outputdevice.helper.BaseRendererBuilder.FontStyle;
import com.openhtmltopdf.pdfboxout.PdfRendererBuilder;
import com.openhtmltopdf.pdfboxout.PdfRendererBuilder.PdfAConformance;
import com.openhtmltopdf.util.XRLog;
import org.ccm.templates.Compositions;
import org.jsoup.Jsoup;
import org.jsoup.helper.W3CDom;

/**
 * A bare openhtmltopdf integration, as a plain application would write it: fast mode, the
 * platform's DejaVu fonts handed over as bytes for every document. What the platform's
 * rendering is compared with.
 */
public final class RawRenderer {

	static final String[] FONTS = { "DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf",
			"DejaVuSansMono.ttf" };

	private final String html;

	private final Map<String, byte[]> fonts = new LinkedHashMap<>();

	private final byte[] srgb = ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData();

	public RawRenderer(String html) {
		XRLog.setLoggingEnabled(false);
		this.html = html;
		for (String font : FONTS) {
			try (InputStream in = Compositions.class.getResourceAsStream("/ccm-templates/fonts/" + font)) {
				this.fonts.put(font, in.readAllBytes());
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
	}

	public byte[] render(boolean pdfA, boolean pdfUa) {
		ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
		PdfRendererBuilder builder = new PdfRendererBuilder();
		builder.useFastMode();
		font(builder, "DejaVuSans.ttf", 400, "DejaVu Sans", "SansSerif");
		font(builder, "DejaVuSans-Bold.ttf", 700, "DejaVu Sans", "SansSerif");
		font(builder, "DejaVuSerif.ttf", 400, "DejaVu Serif", "Serif");
		font(builder, "DejaVuSerif-Bold.ttf", 700, "DejaVu Serif", "Serif");
		font(builder, "DejaVuSansMono.ttf", 400, "DejaVu Sans Mono", "Monospaced");
		if (pdfA) {
			builder.usePdfAConformance(PdfAConformance.PDFA_3_U);
			builder.useColorProfile(this.srgb);
		}
		if (pdfUa) {
			builder.usePdfUaAccessibility(true);
		}
		builder.withW3cDocument(new W3CDom().fromJsoup(Jsoup.parse(this.html)), "about:blank");
		builder.toStream(out);
		try {
			builder.run();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return out.toByteArray();
	}

	private void font(PdfRendererBuilder builder, String file, int weight, String... families) {
		byte[] bytes = this.fonts.get(file);
		for (String family : families) {
			builder.useFont(() -> new ByteArrayInputStream(bytes), family, weight, FontStyle.NORMAL, true);
		}
	}

}
