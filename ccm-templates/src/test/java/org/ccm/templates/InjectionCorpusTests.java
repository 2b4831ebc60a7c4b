package org.ccm.templates;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.ccm.core.Channel;
import org.ccm.core.Purpose;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Template-injection and script payloads in every place an author or a sender controls: a
 * marketer block, the subject and SMS text of a draft, the send's data and the customer's
 * name. Each must be refused when the draft is saved or come out as inert text: nothing
 * evaluated, no side effect, no script, handler or script URL in the HTML.
 */
@TemplatesTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InjectionCorpusTests {

	static final Path SIDE_EFFECT = Path.of("/tmp/ccm-pwned");

	static final String EVALUATED = "1337";

	static final AtomicInteger rejected = new AtomicInteger();

	static final AtomicInteger rendered = new AtomicInteger();

	@Autowired
	TemplateAuthoring authoring;

	@Autowired
	Previews previews;

	@Autowired
	Compositions compositions;

	String key;

	TemplateVersion invoice;

	static Stream<String> payloads() throws IOException {
		try (InputStream in = InjectionCorpusTests.class.getResourceAsStream("/injection-payloads.txt")) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
				.filter((line) -> !line.isBlank() && !line.startsWith("# "))
				.map((line) -> line.replace("\\t", "\t"))
				.toList()
				.stream();
		}
	}

	@BeforeAll
	void template() throws IOException {
		assertThat(payloads().count()).isGreaterThanOrEqualTo(50);
		Files.deleteIfExists(SIDE_EFFECT);
		System.clearProperty("ccm.pwned");
		this.invoice = this.authoring.version("invoice", 1);
		this.key = "inj-" + UUID.randomUUID().toString().substring(0, 8);
		this.authoring.create(
				new NewTemplate(this.key, "Injection", Purpose.TRANSACTIONAL,
						Set.of(Channel.EMAIL, Channel.SMS, Channel.PORTAL), "invoice", List.of()),
				GovernanceTests.BRENDA);
	}

	@AfterAll
	void nothingExecuted() {
		assertThat(SIDE_EFFECT).doesNotExist();
		assertThat(System.getProperty("ccm.pwned")).isNull();
		assertThat(rejected.get() + rendered.get()).isGreaterThanOrEqualTo(50);
		System.out.println("Injection corpus: " + rejected.get() + " drafts refused, " + rendered.get()
				+ " rendered as inert text");
	}

	@ParameterizedTest
	@MethodSource("payloads")
	void payloadInAMarketerBlockSubjectAndSmsIsRefusedOrInert(String payload) {
		TemplateContent content = GovernanceTests.withBlock(this.invoice.content(), "intro", "<p>" + payload + "</p>");
		content = new TemplateContent(content.title(), Map.of("default", "Invoice " + payload),
				Map.of("default", payload), true, content.blocks());
		TemplateVersion draft;
		try {
			draft = this.authoring.createDraft(this.key,
					new DraftRequest(content, this.invoice.dataSchema(), this.invoice.sampleData()),
					GovernanceTests.BRENDA);
		}
		catch (InvalidTemplateContentException ex) {
			assertThat(ex.problems()).isNotEmpty();
			rejected.incrementAndGet();
			assertNoSideEffect();
			return;
		}
		rendered.incrementAndGet();
		for (ChannelPreview preview : this.previews.preview(this.key, draft.version(), null, null, null, Locale.UK)) {
			assertInertText(payload, preview.subject());
			assertInertText(payload, preview.text());
			if (preview.html() != null) {
				assertInertHtml(payload, preview.html());
			}
		}
		assertNoSideEffect();
	}

	@ParameterizedTest
	@MethodSource("payloads")
	void payloadInTheDataAndTheCustomersNameIsEscaped(String payload) {
		Map<String, Object> data = new HashMap<>(TestCustomers.invoice(payload));
		data.put("lines", List.of(Map.of("description", payload, "quantity", 1, "unitPrice", 2)));
		var customer = TestCustomers.customer(payload, Locale.UK, TestCustomers.alice().postalAddress());
		for (Channel channel : List.of(Channel.EMAIL, Channel.SMS, Channel.PORTAL)) {
			ComposedDocument document = this.compositions
				.compose(new Composition("invoice", null, channel, customer, data));
			assertInertText(payload, document.subject());
			assertInertText(payload, document.text());
			if (document.html() != null) {
				assertInertHtml(payload, document.html());
				if (payload.contains("<script")) {
					assertThat(document.html()).contains("&lt;script");
				}
			}
		}
		assertNoSideEffect();
	}

	/**
	 * Traces of evaluation: a computed number, a command's output, a Java object's or
	 * class's text.
	 */
	static final List<String> TRACES = List.of(EVALUATED, "uid=", "java.lang.Object@", "java.lang.Class",
			"ClassLoader@", "[B@", "Process[", "postgres");

	static void assertInertText(String payload, String text) {
		if (text != null) {
			for (String trace : TRACES) {
				if (!payload.contains(trace)) {
					assertThat(text).doesNotContain(trace);
				}
			}
		}
	}

	static void assertInertHtml(String payload, String html) {
		assertInertText(payload, html);
		Document document = Jsoup.parse(html);
		assertThat(document.select("script, iframe, object, embed, form, base, link, meta[http-equiv], svg, math"))
			.isEmpty();
		assertThat(document.body().select("style")).isEmpty();
		List<String> problems = new ArrayList<>();
		for (Element element : document.getAllElements()) {
			for (Attribute attribute : element.attributes()) {
				String name = attribute.getKey().toLowerCase(Locale.ROOT);
				String value = attribute.getValue().toLowerCase(Locale.ROOT).replaceAll("[\\s\\u0000-\\u001f]", "");
				if (name.startsWith("on") || name.startsWith("th:") || name.startsWith("data-th")
						|| name.contains("xlink")) {
					problems.add(element.tagName() + " " + name);
				}
				if (value.startsWith("javascript:") || value.startsWith("vbscript:") || value.startsWith("data:")) {
					problems.add(element.tagName() + " " + name + "=" + value);
				}
				if (name.equals("style") && (value.contains("expression(") || value.contains("javascript:")
						|| value.contains("behavior") || value.contains("binding") || value.contains("url("))) {
					problems.add(element.tagName() + " style=" + value);
				}
			}
		}
		assertThat(problems).isEmpty();
	}

	static void assertNoSideEffect() {
		assertThat(SIDE_EFFECT).doesNotExist();
		assertThat(System.getProperty("ccm.pwned")).isNull();
	}

}
