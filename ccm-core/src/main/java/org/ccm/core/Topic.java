package org.ccm.core;

import java.util.Locale;
import java.util.Map;

/**
 * A subject marketing communications are about (a newsletter, product news, service
 * notices), named by templates, which customers may opt out of unless it is mandatory.
 *
 * @param key the name templates use, such as {@code newsletter}
 * @param mandatory whether customers receive it whatever they chose: service notices
 * @param labels what the customer reads, by language tag ({@code en}, {@code pl})
 */
public record Topic(String key, boolean mandatory, Map<String, String> labels) {

	public Topic {
		labels = Map.copyOf(labels);
	}

	/**
	 * The label in the locale, falling back like documents do: {@code pl-PL}, then
	 * {@code pl}, then English, then the key.
	 */
	public String label(Locale locale) {
		String label = labels.get(locale.toLanguageTag());
		if (label == null) {
			label = labels.get(locale.getLanguage());
		}
		if (label == null) {
			label = labels.get("en");
		}
		return (label != null) ? label : key;
	}

}
