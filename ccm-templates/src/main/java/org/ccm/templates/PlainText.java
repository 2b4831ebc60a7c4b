package org.ccm.templates;

import java.util.regex.Pattern;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeVisitor;

/**
 * The plain-text alternative of an email, written from its HTML: blocks become lines,
 * table cells are separated, links keep their address.
 */
final class PlainText {

	private static final Pattern WEB_LINK = Pattern.compile("(?i)(https?|mailto|tel):.*");

	private static final Pattern TRAILING_BLANKS = Pattern.compile("[ \\t]+\\n");

	private static final Pattern BLANK_LINES = Pattern.compile("\\n{3,}");

	private PlainText() {
	}

	static String of(String html) {
		return of(Jsoup.parse(html));
	}

	static String of(Document document) {
		Element body = document.body();
		StringBuilder text = new StringBuilder(2048);
		body.traverse(new NodeVisitor() {

			@Override
			public void head(Node node, int depth) {
				if (node instanceof TextNode textNode) {
					String value = textNode.text();
					if (!value.isBlank()) {
						if (!text.isEmpty() && !Character.isWhitespace(text.charAt(text.length() - 1))
								&& Character.isWhitespace(value.charAt(0))) {
							text.append(' ');
						}
						text.append(value.strip());
					}
				}
				else if (node instanceof Element element) {
					switch (element.normalName()) {
						case "br" -> text.append('\n');
						case "td", "th" -> {
							if (element.elementSiblingIndex() > 0) {
								text.append("  ");
							}
						}
						case "li" -> text.append("\n- ");
						default -> {
						}
					}
				}
			}

			@Override
			public void tail(Node node, int depth) {
				if (node instanceof Element element) {
					switch (element.normalName()) {
						case "p", "div", "h1", "h2", "h3", "h4", "tr", "table", "ul", "ol" -> newline(text);
						case "a" -> {
							String href = element.attr("href");
							if (!href.isEmpty() && !href.equals(element.text()) && WEB_LINK.matcher(href).matches()) {
								text.append(" <").append(href).append('>');
							}
						}
						default -> {
						}
					}
				}
			}

		});
		String lines = TRAILING_BLANKS.matcher(text).replaceAll("\n");
		return BLANK_LINES.matcher(lines).replaceAll("\n\n").strip() + "\n";
	}

	private static void newline(StringBuilder text) {
		if (!text.isEmpty() && text.charAt(text.length() - 1) != '\n') {
			text.append('\n');
		}
	}

}
