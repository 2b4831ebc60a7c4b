package org.ccm.templates;

import java.io.StringReader;
import java.io.StringWriter;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheException;
import com.github.mustachejava.SafeMustacheFactory;
import org.jsoup.parser.Parser;
import org.owasp.html.HtmlChangeListener;
import org.owasp.html.HtmlPolicyBuilder;
import org.owasp.html.PolicyFactory;
import org.owasp.html.Sanitizers;
import org.springframework.stereotype.Component;

/**
 * Renders marketer-authored text: logic-less Mustache over plain data (no partials, no
 * pragmas, no unescaped values, every value HTML-escaped), then an allow-list sanitiser
 * for HTML. Nothing an author writes is ever evaluated as an expression.
 */
@Component
class BlockRenderer {

	private static final int MAX_CACHED = 10_000;

	// formatting, blocks, tables, links to http(s)/mailto/tel and a safe subset of inline
	// CSS: no scripts, no event handlers, no javascript: URLs, no CSS expressions
	static final PolicyFactory POLICY = Sanitizers.FORMATTING.and(Sanitizers.BLOCKS)
		.and(Sanitizers.TABLES)
		.and(Sanitizers.STYLES)
		.and(new HtmlPolicyBuilder().allowElements("a")
			.allowAttributes("href", "title")
			.onElements("a")
			.allowStandardUrlProtocols()
			.allowUrlProtocols("https", "http", "mailto", "tel")
			.requireRelsOnLinks("noopener", "noreferrer")
			.toFactory())
		.and(new HtmlPolicyBuilder().allowElements("img")
			.allowAttributes("src", "alt", "width", "height")
			.onElements("img")
			.allowUrlProtocols("https")
			.toFactory())
		.and(new HtmlPolicyBuilder().allowElements("hr", "span", "div", "small", "sup", "sub").toFactory());

	/**
	 * Elements and attributes the policy discards from the HTML, in order, each once.
	 */
	static List<String> removals(String html) {
		Set<String> removed = new LinkedHashSet<>();
		POLICY.sanitize(html, new HtmlChangeListener<Set<String>>() {

			@Override
			public void discardedTag(Set<String> context, String elementName) {
				context.add("<" + elementName + ">");
			}

			@Override
			public void discardedAttributes(Set<String> context, String tagName, String... attributeNames) {
				for (String attribute : attributeNames) {
					context.add(attribute + " on <" + tagName + ">");
				}
			}

		}, removed);
		return List.copyOf(removed);
	}

	// no partial may be loaded: the set of allowed resource names is empty
	private final SafeMustacheFactory mustaches = new SafeMustacheFactory(Set.of(), "ccm-no-partials");

	// keyed by source text: submitted versions never change, drafts change their text
	private final Map<String, Mustache> compiled = new ConcurrentHashMap<>();

	// sanitised HTML of the blocks without any tag, by source text
	private final Map<String, String> fixed = new ConcurrentHashMap<>();

	/**
	 * Sanitised HTML of a block.
	 */
	String html(String source, Map<String, Object> model) {
		if (!source.contains("{{")) {
			// no tag, not even one that changes the delimiters: the block renders as
			// written for every customer, so it is sanitised once, not per document
			String sanitised = this.fixed.get(source);
			if (sanitised == null) {
				if (this.fixed.size() > MAX_CACHED) {
					this.fixed.clear();
				}
				sanitised = POLICY.sanitize(render(source, model));
				this.fixed.put(source, sanitised);
			}
			return sanitised;
		}
		return POLICY.sanitize(render(source, model));
	}

	/**
	 * Plain text (subjects, SMS): values are not HTML-escaped in the result, and markup
	 * in the source is kept as typed.
	 */
	String text(String source, Map<String, Object> model) {
		return Parser.unescapeEntities(render(source, model), false);
	}

	/**
	 * Compiles the source so that authors learn about a refused construct when they save
	 * a draft, not when a customer's document is composed.
	 * @throws InvalidTemplateContentException naming what was refused
	 */
	void check(String field, String source) {
		compile(field, source);
	}

	private String render(String source, Map<String, Object> model) {
		StringWriter out = new StringWriter(source.length() + 256);
		compile("content", source).execute(out, model);
		return out.toString();
	}

	private Mustache compile(String field, String source) {
		Mustache mustache = this.compiled.get(source);
		if (mustache != null) {
			return mustache;
		}
		if (this.compiled.size() > MAX_CACHED) {
			this.compiled.clear();
		}
		try {
			mustache = this.mustaches.compile(new StringReader(source), "block");
		}
		catch (MustacheException | IllegalArgumentException ex) {
			throw new InvalidTemplateContentException(field, "cannot be used: " + reason(ex));
		}
		this.compiled.put(source, mustache);
		return mustache;
	}

	private static String reason(RuntimeException ex) {
		String message = ex.getMessage();
		return (message != null) ? message.replaceAll("@\\[.*?]", "").strip() : ex.getClass().getSimpleName();
	}

}
