package org.ccm.templates;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.TransformerFactory;

import com.openhtmltopdf.outputdevice.helper.BaseRendererBuilder.FontStyle;
import com.openhtmltopdf.outputdevice.helper.ExternalResourceControlPriority;
import com.openhtmltopdf.outputdevice.helper.ExternalResourceType;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * HTML to PDF/A-3u (and PDF/UA when accessible) with openhtmltopdf in fast mode. The
 * DejaVu fonts shipped in the module are read once and parsed once per thread (a parsed
 * TrueType font is not thread-safe), then embedded as subsets; parsing them per document
 * would cost more than the layout itself.
 * <p>
 * Rendering opens no connection of its own accord: a document may embed {@code data:}
 * images, use the platform's own files ({@code classpath:/ccm-templates/...}) and load
 * over HTTP(S) only from the hosts in {@code ccm.templates.pdf.allowed-hosts}; anything
 * else (another host, {@code file:}, {@code jar:}) is refused and the document is
 * rendered without it. Otherwise a draft with {@code <img src="https://10.0.0.5/...">}
 * would make the server call an internal address on every preview.
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
		// every document asks JAXP for new factories (jsoup's DOM conversion, the PDF/A
		// XMP metadata), and JAXP scans the class path with a ServiceLoader each time
		// unless one is named: about a twentieth of a render. Naming the ones the scan
		// finds now keeps the same factories without the scans
		nameFactory("javax.xml.parsers.DocumentBuilderFactory", DocumentBuilderFactory.newInstance());
		nameFactory("javax.xml.transform.TransformerFactory", TransformerFactory.newInstance());
	}

	private static final Logger log = LoggerFactory.getLogger(PdfRenderer.class);

	// only the JDK's own factories, which any thread loads by name whatever its context
	// class loader; a provider from a jar is left to JAXP's own look-up
	private static void nameFactory(String property, Object found) {
		if (found.getClass().getClassLoader() == null) {
			System.getProperties().putIfAbsent(property, found.getClass().getName());
		}
	}

	private final Map<String, byte[]> fontBytes = new HashMap<>();

	private final Set<String> allowedHosts;

	private final ThreadLocal<Map<String, TrueTypeFont>> parsed = ThreadLocal.withInitial(HashMap::new);

	@Autowired
	PdfRenderer(TemplatesProperties properties) {
		this(properties.pdf().allowedHosts());
	}

	PdfRenderer(List<String> allowedHosts) {
		this.allowedHosts = allowedHosts.stream()
			.map((host) -> host.trim().toLowerCase(Locale.ROOT))
			.collect(Collectors.toUnmodifiableSet());
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
			builder.useProtocolsStreamImplementation(PdfRenderer::platformFile, "classpath");
			builder.useExternalResourceAccessControl(this::mayLoad,
					ExternalResourceControlPriority.RUN_BEFORE_RESOLVING_URI);
			builder.useExternalResourceAccessControl(this::mayLoad,
					ExternalResourceControlPriority.RUN_AFTER_RESOLVING_URI);
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

	/**
	 * Whether the document may load this resource; asked before and after the address is
	 * resolved, so a relative address cannot reach what an absolute one may not.
	 */
	boolean mayLoad(@Nullable String uri, ExternalResourceType type) {
		if (uri == null) {
			return false;
		}
		if (uri.regionMatches(true, 0, "data:", 0, 5) || platformPath(uri) != null) {
			return true;
		}
		try {
			URI parsed = new URI(uri);
			String scheme = (parsed.getScheme() != null) ? parsed.getScheme().toLowerCase(Locale.ROOT) : "";
			String host = (parsed.getHost() != null) ? parsed.getHost().toLowerCase(Locale.ROOT) : "";
			if ((scheme.equals("https") || scheme.equals("http")) && this.allowedHosts.contains(host)) {
				return true;
			}
		}
		catch (java.net.URISyntaxException ex) {
			// refused below
		}
		log.debug("Refused to load {} ({}) while rendering a PDF: not an allowed host", uri, type);
		return false;
	}

	// the module's own resources only, never a path that climbs out of them
	private static @Nullable String platformPath(String uri) {
		if (!uri.startsWith("classpath:/ccm-templates/")) {
			return null;
		}
		String path = uri.substring("classpath:".length());
		return (path.contains("..") || path.contains("\\")) ? null : path;
	}

	private static com.openhtmltopdf.extend.FSStream platformFile(String uri) {
		String path = platformPath(uri);
		return new com.openhtmltopdf.extend.FSStream() {

			@Override
			public @Nullable InputStream getStream() {
				return (path != null) ? PdfRenderer.class.getResourceAsStream(path) : null;
			}

			@Override
			public java.io.@Nullable Reader getReader() {
				InputStream in = getStream();
				return (in != null) ? new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8) : null;
			}

		};
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
