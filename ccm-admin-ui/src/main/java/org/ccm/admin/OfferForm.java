package org.ccm.admin;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

import org.ccm.templates.DataViolation;
import org.ccm.templates.Offer;
import org.jspecify.annotations.Nullable;
import org.springframework.util.MultiValueMap;

/**
 * The offer editor's form as typed: every value kept as the marketer wrote it so that a
 * refused save shows it again, and the problems found, each under the id of its field so
 * the page shows it next to the field and in the summary at the top. Dates are read and
 * shown in UTC, like every time in these pages.
 *
 * @param content the text per locale, the default first
 * @param version the offer's version the edit started from; null for a new offer
 * @param problems field id → what is wrong, in the order of the form
 */
public record OfferForm(String key, String name, String segment, String priority, String maxImpressions,
		List<String> templates, Map<String, String> content, String startsAt, String endsAt, String newLocale,
		String newContent, @Nullable Long version, Map<String, String> problems) {

	static final String DEFAULT = "default";

	static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm").withZone(ZoneOffset.UTC);

	private static final String KEY = "[a-z0-9][a-z0-9_-]{0,62}";

	static OfferForm empty() {
		Map<String, String> content = new LinkedHashMap<>();
		content.put(DEFAULT, "");
		return new OfferForm("", "", "", "0", "3", List.of(), content, "", "", "", "", null, new LinkedHashMap<>());
	}

	static OfferForm of(Offer offer) {
		return new OfferForm(offer.key(), offer.name(), (offer.segment() != null) ? offer.segment() : "",
				String.valueOf(offer.priority()), String.valueOf(offer.maxImpressions()), offer.templates(),
				ordered(offer.content()), at(offer.startsAt()), at(offer.endsAt()), "", "", offer.version(),
				new LinkedHashMap<>());
	}

	/**
	 * The form as posted; the key of an existing offer is the one in the address, not a
	 * posted one.
	 */
	static OfferForm posted(@Nullable String key, MultiValueMap<String, String> params) {
		Map<String, String> content = new TreeMap<>();
		params.forEach((name, values) -> {
			if (name.startsWith("content.") && !values.isEmpty()) {
				content.put(name.substring("content.".length()), values.get(0).replace("\r\n", "\n"));
			}
		});
		content.putIfAbsent(DEFAULT, "");
		List<String> templates = params.getOrDefault("templates", List.of())
			.stream()
			.filter((template) -> !template.isBlank())
			.distinct()
			.toList();
		Long version = null;
		try {
			version = (params.getFirst("version") != null && !params.getFirst("version").isBlank())
					? Long.valueOf(params.getFirst("version")) : null;
		}
		catch (NumberFormatException ex) {
			version = -1L;
		}
		return new OfferForm((key != null) ? key : value(params, "key"), value(params, "name"),
				value(params, "segment"), value(params, "priority"), value(params, "maxImpressions"), templates,
				ordered(content), value(params, "startsAt"), value(params, "endsAt"), value(params, "newLocale"),
				value(params, "newContent"), version, new LinkedHashMap<>());
	}

	private static String value(MultiValueMap<String, String> params, String name) {
		String value = params.getFirst(name);
		return (value != null) ? value.strip() : "";
	}

	private static Map<String, String> ordered(Map<String, String> content) {
		Map<String, String> ordered = new LinkedHashMap<>();
		ordered.put(DEFAULT, content.getOrDefault(DEFAULT, ""));
		new TreeMap<>(content).forEach(ordered::putIfAbsent);
		return ordered;
	}

	private static String at(@Nullable Instant instant) {
		return (instant != null) ? MINUTES.format(instant) : "";
	}

	/**
	 * Finds what the page can tell before saving: a bad key, a missing name, numbers and
	 * dates that are not, an end before the start, an unknown segment or template, markup
	 * the sanitiser would remove and placeholders that are not customer fields.
	 * @param removals what the sanitiser removes from the HTML
	 */
	void check(boolean creating, Set<String> segments, Set<String> templateKeys, Placeholders placeholders,
			Function<String, List<String>> removals) {
		if (creating && !this.key.matches(KEY)) {
			problem("key",
					"Enter a key of 1 to 63 lower-case letters, digits, - or _, starting with a letter or digit.");
		}
		if (this.name.isBlank()) {
			problem("name", "Enter a name for the offer.");
		}
		if (!this.segment.isEmpty() && !segments.contains(this.segment)) {
			problem("segment", "Choose a saved segment, or every customer.");
		}
		if (number(this.priority) == null) {
			problem("priority", "Priority must be a whole number, such as 10.");
		}
		Integer cap = number(this.maxImpressions);
		if (cap == null || cap < 1) {
			problem("maxImpressions", "Impression cap must be a whole number of at least 1.");
		}
		for (String template : this.templates) {
			if (!templateKeys.contains(template)) {
				problem("templates", "“" + template + "” is not a template: choose from the list.");
			}
		}
		Instant start = instant("startsAt", "Start", this.startsAt);
		Instant end = instant("endsAt", "End", this.endsAt);
		if (start != null && end != null && !end.isAfter(start)) {
			problem("endsAt", "End must be after the start.");
		}
		if (this.content.getOrDefault(DEFAULT, "").isBlank()) {
			problem(contentId(DEFAULT), "Enter the offer's text in the default language.");
		}
		this.content.forEach(
				(locale, text) -> checkText(contentId(locale), contentLabel(locale), text, placeholders, removals));
		if (!this.newContent.isBlank() || !this.newLocale.isBlank()) {
			if (this.newLocale.isBlank() || this.newLocale.equals(DEFAULT)
					|| Locale.forLanguageTag(this.newLocale.replace('_', '-')).getLanguage().isEmpty()) {
				problem("newLocale", "Language must be a code such as pl or pl-PL.");
			}
			else if (this.content.containsKey(this.newLocale)) {
				problem("newLocale", "The offer has text in “" + this.newLocale + "” already: change it above.");
			}
			if (this.newContent.isBlank()) {
				problem("newContent", "Enter the offer's text in the new language.");
			}
			checkText("newContent", "Text in the new language", this.newContent, placeholders, removals);
		}
	}

	private void checkText(String field, String label, String text, Placeholders placeholders,
			Function<String, List<String>> removals) {
		List<String> removed = removals.apply(text);
		if (!removed.isEmpty()) {
			problem(field, label + " contains what is removed before sending: " + String.join(", ", removed)
					+ ". Take it out and save again.");
		}
		for (String problem : placeholders.problems(text)) {
			problem(field, label + ": " + problem + ".");
		}
	}

	private @Nullable Instant instant(String field, String label, String text) {
		if (text.isEmpty()) {
			return null;
		}
		try {
			return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
		}
		catch (DateTimeParseException ex) {
			problem(field, label + " must be a date and time such as 2027-01-31T09:00 (UTC).");
			return null;
		}
	}

	private static @Nullable Integer number(String text) {
		try {
			return Integer.valueOf(text);
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	/**
	 * The offer to save: an emptied text of another locale than the default is left out,
	 * so that locale falls back to the default.
	 * @param active whether it is active now (a page never switches it)
	 */
	Offer offer(boolean active) {
		Map<String, String> texts = new LinkedHashMap<>();
		this.content.forEach((locale, text) -> {
			if (locale.equals(DEFAULT) || !text.isBlank()) {
				texts.put(locale, text.strip());
			}
		});
		if (!this.newLocale.isBlank() && !this.newContent.isBlank()) {
			texts.put(this.newLocale, this.newContent.strip());
		}
		return new Offer(this.key, this.name, this.segment.isEmpty() ? null : this.segment, number(this.priority),
				number(this.maxImpressions), this.templates, texts, active, this.version,
				this.startsAt.isEmpty() ? null : LocalDateTime.parse(this.startsAt).toInstant(ZoneOffset.UTC),
				this.endsAt.isEmpty() ? null : LocalDateTime.parse(this.endsAt).toInstant(ZoneOffset.UTC));
	}

	/**
	 * Records what the offers service refused, under the field its path names.
	 */
	void refused(List<DataViolation> violations) {
		for (DataViolation violation : violations) {
			String path = violation.field();
			String field = switch (path) {
				case "key", "name", "segment", "priority", "maxImpressions", "endsAt", "startsAt" -> path;
				default -> path.startsWith("content.") ? contentId(path.substring("content.".length())) : "offer";
			};
			String label = switch (field) {
				case "key" -> "Key";
				case "name" -> "Name";
				case "segment" -> "Segment";
				case "priority" -> "Priority";
				case "maxImpressions" -> "Impression cap";
				case "startsAt" -> "Start";
				case "endsAt" -> "End";
				case "offer" -> "The offer";
				default -> contentLabel(path.substring("content.".length()));
			};
			problem(field, label + " " + violation.message() + ".");
		}
	}

	void problem(String field, String message) {
		this.problems.merge(field, message, (a, b) -> a + " " + b);
	}

	public List<EditorForm.Problem> summary() {
		return this.problems.entrySet().stream().map((e) -> new EditorForm.Problem(e.getKey(), e.getValue())).toList();
	}

	/**
	 * The id of a locale's text field, such as {@code content-pl-PL}.
	 */
	public static String contentId(String locale) {
		return "content-" + locale.replaceAll("[^A-Za-z0-9-]", "-");
	}

	public String fieldId(String locale) {
		return contentId(locale);
	}

	public String fieldLabel(String locale) {
		return contentLabel(locale);
	}

	public static String contentLabel(String locale) {
		return locale.equals(DEFAULT) ? "Text in the default language" : "Text in " + locale;
	}

	/**
	 * The text of the locale the preview shows, or of the default.
	 */
	String text(String locale) {
		if (locale.equals(this.newLocale) && !this.newContent.isBlank()) {
			return this.newContent;
		}
		return this.content.getOrDefault(locale, this.content.getOrDefault(DEFAULT, ""));
	}

	/**
	 * Every language the form has text in, the new one included.
	 */
	public List<String> locales() {
		List<String> locales = new ArrayList<>(this.content.keySet());
		if (!this.newLocale.isBlank() && !this.newContent.isBlank() && !locales.contains(this.newLocale)) {
			locales.add(this.newLocale);
		}
		return locales;
	}

}
