package org.ccm.templates;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.select.Evaluator;
import org.jsoup.select.Selector;

/**
 * Copies the rules of a layout's {@code <style>} into {@code style} attributes, because
 * many mail clients ignore style sheets. Rules are applied in order of specificity, then
 * of appearance; what an element already has inline wins. Rules with pseudo-classes and
 * at-rules stay in the style sheet only, for the clients that read it.
 */
final class CssInliner {

	private record Rule(Evaluator selector, String declarations, int specificity, int order) {
	}

	private static final Pattern RULE = Pattern.compile("([^{}@]+)\\{([^{}]*)}");

	private static final Pattern AT_RULE = Pattern.compile("@[^{]+\\{(?:[^{}]*\\{[^{}]*})*[^{}]*}");

	private static final Map<String, List<Rule>> parsed = new ConcurrentHashMap<>();

	private CssInliner() {
	}

	static void inline(Document document) {
		StringBuilder css = new StringBuilder();
		for (Element style : document.select("style")) {
			css.append(style.data()).append('\n');
		}
		if (css.isEmpty()) {
			return;
		}
		List<Rule> rules = parsed.computeIfAbsent(css.toString(), CssInliner::parse);
		Map<Element, StringBuilder> styles = new IdentityHashMap<>();
		for (Rule rule : rules) {
			for (Element element : Selector.select(rule.selector(), document.body())) {
				styles.computeIfAbsent(element, (e) -> new StringBuilder()).append(rule.declarations()).append(';');
			}
		}
		styles.forEach((element, style) -> {
			String own = element.attr("style");
			element.attr("style", style + own);
		});
	}

	private static List<Rule> parse(String css) {
		String plain = AT_RULE.matcher(css.replaceAll("(?s)/\\*.*?\\*/", "")).replaceAll("");
		List<Rule> rules = new ArrayList<>();
		Matcher matcher = RULE.matcher(plain);
		int order = 0;
		while (matcher.find()) {
			String declarations = matcher.group(2).strip().replaceAll("\\s*;\\s*$", "").replaceAll("\\s+", " ");
			for (String selector : matcher.group(1).split(",")) {
				String s = selector.strip();
				if (s.isEmpty() || s.contains(":") || declarations.isEmpty()) {
					continue;
				}
				Evaluator evaluator;
				try {
					evaluator = Selector.evaluatorOf(s);
				}
				catch (Selector.SelectorParseException ex) {
					continue;
				}
				rules.add(new Rule(evaluator, declarations, specificity(s), order++));
			}
		}
		rules.sort(Comparator.comparingInt(Rule::specificity).thenComparingInt(Rule::order));
		return List.copyOf(rules);
	}

	private static int specificity(String selector) {
		int ids = 0;
		int classes = 0;
		int elements = 0;
		for (String part : selector.split("[\\s>+~]+")) {
			for (String token : part.split("(?=[.#\\[])")) {
				if (token.startsWith("#")) {
					ids++;
				}
				else if (token.startsWith(".") || token.startsWith("[")) {
					classes++;
				}
				else if (!token.isEmpty() && !token.equals("*")) {
					elements++;
				}
			}
		}
		return ids * 10_000 + classes * 100 + elements;
	}

}
