package org.ccm.bench.templates;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.openhtmltopdf.outputdevice.helper.BaseRendererBuilder.FontStyle;
import com.openhtmltopdf.pdfboxout.PdfRendererBuilder;
import com.openhtmltopdf.pdfboxout.PdfRendererBuilder.PdfAConformance;
import com.openhtmltopdf.util.XRLog;
import org.ccm.core.Channel;
import org.ccm.core.ContactPoint;
import org.ccm.core.ContactState;
import org.ccm.core.CustomerProfile;
import org.ccm.core.CustomerStatus;
import org.ccm.core.PostalAddress;
import org.ccm.core.Purpose;
import org.ccm.core.testing.EmbeddedPostgresServer;
import org.ccm.templates.Actor;
import org.ccm.templates.Composition;
import org.ccm.templates.Compositions;
import org.ccm.templates.DraftRequest;
import org.ccm.templates.NewTemplate;
import org.ccm.templates.TemplateAuthoring;
import org.ccm.templates.TemplateContent;
import org.ccm.templates.TemplateVersion;
import org.jsoup.Jsoup;
import org.jsoup.helper.W3CDom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Document composition through the platform against a raw openhtmltopdf loop on the same
 * HTML and the same DejaVu fonts, in the same run:
 * <ul>
 * <li>{@code platformPrint}: {@code Compositions.compose} of the invoice for print
 * (Thymeleaf layout, sandboxed blocks, PDF/A-3u + PDF/UA);</li>
 * <li>{@code rawPdfAUa}: openhtmltopdf in fast mode on the invoice's HTML, fonts handed
 * over as bytes for every document, PDF/A-3u + PDF/UA: what the platform must match;</li>
 * <li>{@code rawPlain} and {@code rawPdfA}: the same without conformance and with PDF/A
 * only, so the PDF/A and PDF/UA costs show separately;</li>
 * <li>{@code platformEmail}: an email without attachment (subject, HTML with CSS inlined,
 * text): the time per message on one thread is its CPU cost.</li>
 * </ul>
 * Run: {@code ccm-bench/run -f 1 -t 1 'templates.CompositionBenchmark'}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 4)
@Fork(value = 1, jvmArgs = { "-Xms1g", "-Xmx1g" })
public class CompositionBenchmark {

	private ConfigurableApplicationContext context;

	private Compositions compositions;

	private Composition print;

	private Composition email;

	private RawRenderer raw;

	@SpringBootApplication(scanBasePackages = { "org.ccm.core", "org.ccm.templates" })
	@ConfigurationPropertiesScan({ "org.ccm.core", "org.ccm.templates" })
	static class TemplatesOnly {

	}

	@Setup(Level.Trial)
	public void start() throws IOException {
		XRLog.setLoggingEnabled(false);
		String url = EmbeddedPostgresServer.newDatabase();
		this.context = new SpringApplicationBuilder(TemplatesOnly.class).web(WebApplicationType.NONE)
			.properties(Map.of("spring.datasource.url", url, "spring.datasource.username", "postgres",
					"spring.datasource.password", "postgres", "logging.level.root", "WARN",
					"spring.kafka.listener.auto-startup", "false"))
			.run();
		this.compositions = this.context.getBean(Compositions.class);
		CustomerProfile customer = customer();
		Map<String, Object> data = invoice();
		this.print = new Composition("invoice", null, Channel.PRINT, customer, data);
		this.email = new Composition(emailOnlyTemplate(), null, Channel.EMAIL, customer, data);
		this.raw = new RawRenderer(
				this.compositions.compose(new Composition("invoice", null, Channel.PORTAL, customer, data)).html());
	}

	@TearDown(Level.Trial)
	public void stop() {
		this.context.close();
	}

	@Benchmark
	public byte[] platformPrint() {
		return this.compositions.compose(this.print).pdf();
	}

	// the HTML written out once, as every sender does (with tracking, from its own copy)
	@Benchmark
	public String platformEmail() {
		return this.compositions.compose(this.email).html();
	}

	@Benchmark
	public byte[] rawPlain() {
		return raw(false, false);
	}

	@Benchmark
	public byte[] rawPdfA() {
		return raw(true, false);
	}

	@Benchmark
	public byte[] rawPdfAUa() {
		return raw(true, true);
	}

	private byte[] raw(boolean pdfA, boolean pdfUa) {
		return this.raw.render(pdfA, pdfUa);
	}

	/**
	 * The invoice as an email without the PDF attached, published through the review like
	 * any template.
	 */
	private String emailOnlyTemplate() {
		return emailOnlyTemplate(this.context.getBean(TemplateAuthoring.class), "invoice-email", Purpose.TRANSACTIONAL);
	}

	/**
	 * The invoice content as an email-only template without attachment, published under
	 * {@code key} with the given purpose.
	 */
	public static String emailOnlyTemplate(TemplateAuthoring authoring, String key, Purpose purpose) {
		Actor brand = new Actor("bench-brand", Set.of(Actor.BRAND));
		Actor reviewer = new Actor("bench-reviewer", Set.of(Actor.APPROVER));
		TemplateVersion invoice = authoring.version("invoice", 1);
		TemplateContent content = invoice.content();
		authoring.create(new NewTemplate(key, "Invoice by email", purpose, Set.of(Channel.EMAIL), "invoice",
				List.of("payment-terms", "company-details")), brand);
		authoring.createDraft(key,
				new DraftRequest(
						new TemplateContent(content.title(), content.subject(), content.sms(), false, content.blocks()),
						invoice.dataSchema(), invoice.sampleData()),
				brand);
		authoring.submit(key, 1, brand, "benchmark");
		authoring.approve(key, 1, reviewer, "benchmark");
		authoring.publish(key, 1, reviewer, "benchmark");
		return key;
	}

	public static CustomerProfile customer() {
		Instant now = Instant.now();
		return new CustomerProfile(UUID.randomUUID(), "C-BENCH", "Alice Martin", Locale.UK, ZoneId.of("Europe/London"),
				CustomerStatus.ACTIVE, new ContactPoint("alice@example.com", ContactState.VERIFIED),
				new ContactPoint("+447911123456", ContactState.VERIFIED),
				new PostalAddress(List.of("12 Orchard Lane"), "OX1 2JD", "Oxford", "GB", ContactState.VERIFIED),
				Map.of(), Map.of(), null, List.of(), now, now);
	}

	public static Map<String, Object> invoice() {
		List<Map<String, Object>> lines = new java.util.ArrayList<>();
		for (int i = 1; i <= 12; i++) {
			lines.add(Map.of("description", "Electricity, period " + i, "quantity", i, "unitPrice", 1.25 * i));
		}
		return Map.of("invoiceNumber", "INV-2026-0042", "issueDate", "2026-11-01", "dueDate", "2026-11-30", "currency",
				"GBP", "lines", lines, "total", 123.45);
	}

}
