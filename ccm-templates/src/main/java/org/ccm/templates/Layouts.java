package org.ccm.templates;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.Properties;
import java.util.ResourceBundle;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import org.springframework.stereotype.Component;
import org.thymeleaf.context.Context;
import org.thymeleaf.spring6.SpringTemplateEngine;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

/**
 * The developer-owned layouts
 * ({@code classpath:ccm-templates/layouts/<layout>/<part>.html}), rendered by a Thymeleaf
 * engine of their own, separate from the staff UI's. Layouts are parsed once and cached;
 * marketer content only ever arrives as finished, sanitised HTML inserted with
 * {@code th:utext}, never as template text.
 */
@Component
class Layouts {

	private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]*");

	private final SpringTemplateEngine engine = new SpringTemplateEngine();

	private final Map<String, Map<String, String>> labels = new ConcurrentHashMap<>();

	private final Map<String, Properties> settings = new ConcurrentHashMap<>();

	Layouts() {
		ClassLoaderTemplateResolver resolver = new ClassLoaderTemplateResolver(Layouts.class.getClassLoader());
		resolver.setPrefix("ccm-templates/layouts/");
		resolver.setSuffix(".html");
		resolver.setTemplateMode(TemplateMode.HTML);
		resolver.setCharacterEncoding("UTF-8");
		resolver.setCacheable(true);
		this.engine.setTemplateResolver(resolver);
		this.engine.setEnableSpringELCompiler(true);
	}

	/**
	 * @param part {@code email} or {@code document}
	 */
	String render(String layout, String part, Locale locale, Map<String, Object> variables) {
		if (!NAME.matcher(layout).matches()) {
			throw new IllegalArgumentException("not a layout name: " + layout);
		}
		return this.engine.process(layout + "/" + part, new Context(locale, variables));
	}

	/**
	 * The layout's own texts (table headings, link labels) for the locale, falling back
	 * from {@code pl-PL} to {@code pl} to the layout's default, never to the JVM's
	 * locale.
	 */
	Map<String, String> labels(String layout, Locale locale) {
		return this.labels.computeIfAbsent(layout + "\u0000" + locale.toLanguageTag(), (key) -> {
			Map<String, String> labels = new HashMap<>();
			try {
				ResourceBundle bundle = ResourceBundle.getBundle("ccm-templates/layouts/" + layout + "/labels", locale,
						Layouts.class.getClassLoader(),
						ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
				for (String name : bundle.keySet()) {
					labels.put(name, bundle.getString(name));
				}
			}
			catch (MissingResourceException ex) {
				// a layout without labels
			}
			return Map.copyOf(labels);
		});
	}

	/**
	 * The layout's settings ({@code layout.properties}), such as the portal path of its
	 * documents.
	 */
	Properties settings(String layout) {
		return this.settings.computeIfAbsent(layout, (name) -> {
			Properties properties = new Properties();
			try (InputStream in = Layouts.class.getClassLoader()
				.getResourceAsStream("ccm-templates/layouts/" + name + "/layout.properties")) {
				if (in != null) {
					properties.load(new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8));
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			return properties;
		});
	}

	boolean exists(String layout) {
		return NAME.matcher(layout).matches() && Layouts.class.getClassLoader()
			.getResource("ccm-templates/layouts/" + layout + "/document.html") != null;
	}

}
