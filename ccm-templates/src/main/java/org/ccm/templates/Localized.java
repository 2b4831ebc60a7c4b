package org.ccm.templates;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Picks a text's variant for a locale: {@code pl-PL}, then {@code pl}, then
 * {@code default}.
 */
final class Localized {

	static final String DEFAULT = "default";

	private Localized() {
	}

	static List<String> candidates(Locale locale) {
		List<String> candidates = new ArrayList<>(3);
		String tag = locale.toLanguageTag();
		if (!locale.getLanguage().isEmpty() && !tag.equals("und")) {
			candidates.add(tag);
			if (!locale.getCountry().isEmpty() || !locale.getScript().isEmpty() || !locale.getVariant().isEmpty()) {
				candidates.add(locale.getLanguage());
			}
		}
		candidates.add(DEFAULT);
		return candidates;
	}

	static @Nullable String pick(Map<String, String> variants, Locale locale) {
		String key = key(variants, locale);
		return (key != null) ? variants.get(key) : null;
	}

	/**
	 * The key of the variant used for the locale, or null when there is none.
	 */
	static @Nullable String key(Map<String, String> variants, Locale locale) {
		for (String candidate : candidates(locale)) {
			if (variants.containsKey(candidate)) {
				return candidate;
			}
			// keys written as pl_PL or PL-pl
			for (String key : variants.keySet()) {
				if (key.replace('_', '-').equalsIgnoreCase(candidate)) {
					return key;
				}
			}
		}
		return null;
	}

}
