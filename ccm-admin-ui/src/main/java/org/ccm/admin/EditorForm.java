package org.ccm.admin;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

import org.ccm.core.Channel;
import org.ccm.templates.Block;
import org.ccm.templates.BlockKind;
import org.ccm.templates.DataViolation;
import org.ccm.templates.SmsEncoding;
import org.ccm.templates.TemplateContent;
import org.ccm.templates.TemplateDefinition;
import org.jspecify.annotations.Nullable;
import org.jsoup.Jsoup;
import org.jsoup.safety.Safelist;
import org.springframework.util.MultiValueMap;

/**
 * The editor's form for one locale of a draft: the texts as typed, which blocks the staff
 * member may change, and the problems found, each tied to the field it concerns so the
 * page shows it next to the field and in the summary at the top.
 *
 * @param blocks every block of the draft, locked ones shown read-only
 * @param problems field id → what is wrong, in the order of the form
 */
public record EditorForm(String locale, String title, @Nullable String subject, @Nullable String sms,
		List<BlockField> blocks, Map<String, String> problems) {

	static final String DEFAULT = "default";

	/**
	 * @param editable whether this staff member may change it (editable blocks, or the
	 * brand role)
	 * @param required a legal clause every published version needs
	 */
	public record BlockField(Block block, String value, boolean editable, boolean required) {

		public String id() {
			return "block-" + this.block.key();
		}

		public String name() {
			return "block." + this.block.key();
		}

		/**
		 * The block as read-only HTML for the page, cleaned whatever it contains.
		 */
		public String safeHtml() {
			return this.value.isBlank() ? "<p><em>No text in this language: the default text is used.</em></p>"
					: Jsoup.clean(this.value, Safelist.relaxed());
		}

		public String label() {
			return switch (this.block.kind()) {
				case EDITABLE -> "Block “" + this.block.key() + "”";
				case BRAND -> "Brand block “" + this.block.key() + "”";
				case LEGAL -> "Legal clause “" + this.block.key() + "”";
			};
		}

	}

	/**
	 * A problem for the summary: the field's id to link to and the message.
	 */
	public record Problem(String field, String message) {
	}

	static EditorForm of(TemplateDefinition template, TemplateContent content, String locale, boolean brand) {
		List<BlockField> blocks = new ArrayList<>();
		for (Block block : content.blocks()) {
			blocks.add(new BlockField(block, block.content().getOrDefault(locale, ""),
					block.kind() == BlockKind.EDITABLE || brand, template.requiredClauses().contains(block.key())));
		}
		return new EditorForm(locale, content.title().getOrDefault(locale, ""),
				template.channels().contains(Channel.EMAIL) ? content.subject().getOrDefault(locale, "") : null,
				template.channels().contains(Channel.SMS) ? content.sms().getOrDefault(locale, "") : null, blocks,
				new LinkedHashMap<>());
	}

	/**
	 * The form as posted, over the stored content: blocks the staff member may not change
	 * keep their stored text whatever was posted.
	 */
	static EditorForm posted(TemplateDefinition template, TemplateContent stored, String locale, boolean brand,
			MultiValueMap<String, String> params) {
		EditorForm form = of(template, stored, locale, brand);
		List<BlockField> blocks = new ArrayList<>();
		for (BlockField field : form.blocks()) {
			String value = params.getFirst(field.name());
			blocks.add((field.editable() && value != null)
					? new BlockField(field.block(), value, true, field.required()) : field);
		}
		return new EditorForm(locale, text(params, "title", form.title()),
				(form.subject() != null) ? text(params, "subject", form.subject()) : null,
				(form.sms() != null) ? text(params, "sms", form.sms()) : null, blocks, new LinkedHashMap<>());
	}

	private static String text(MultiValueMap<String, String> params, String name, String stored) {
		String value = params.getFirst(name);
		return (value != null) ? value.replace("\r\n", "\n") : stored;
	}

	/**
	 * The stored content with this locale's texts replaced; an emptied text of another
	 * locale than the default is removed, so that locale falls back to the default.
	 */
	TemplateContent applyTo(TemplateContent stored) {
		List<Block> blocks = new ArrayList<>();
		for (BlockField field : this.blocks) {
			Block block = field.block();
			blocks.add(field.editable()
					? new Block(block.key(), block.kind(), block.slot(), put(block.content(), field.value().strip()))
					: block);
		}
		return new TemplateContent(put(stored.title(), this.title.strip()),
				(this.subject != null) ? put(stored.subject(), this.subject.strip()) : stored.subject(),
				(this.sms != null) ? put(stored.sms(), this.sms.strip()) : stored.sms(), stored.attachPdfToEmail(),
				blocks);
	}

	private Map<String, String> put(Map<String, String> variants, String text) {
		Map<String, String> copy = new HashMap<>(variants);
		if (text.isEmpty() && !this.locale.equals(DEFAULT)) {
			copy.remove(this.locale);
		}
		else {
			copy.put(this.locale, text);
		}
		return copy;
	}

	/**
	 * Finds what the page can tell before saving: unknown placeholders, markup the
	 * sanitiser would remove, an emptied legal clause, an SMS over its limit.
	 * @param removals what the sanitiser removes from a block's HTML
	 */
	void check(Placeholders placeholders, Function<String, List<String>> removals, int smsMaxSegments) {
		checkPlaceholders("title", "Title", this.title, placeholders);
		if (this.subject != null) {
			checkPlaceholders("subject", "Email subject", this.subject, placeholders);
		}
		if (this.sms != null) {
			checkPlaceholders("sms", "SMS text", this.sms, placeholders);
			SmsCount count = SmsCount.of(this.sms, smsMaxSegments);
			if (count.tooLong()) {
				problem("sms", "SMS text is too long: " + count.summary() + " Cut " + count.overBy() + " characters.");
			}
		}
		for (BlockField field : this.blocks) {
			if (!field.editable()) {
				continue;
			}
			List<String> removed = removals.apply(field.value());
			if (!removed.isEmpty()) {
				problem(field.id(), field.label() + " contains what is removed before sending: "
						+ String.join(", ", removed) + ". Take it out and save again.");
			}
			if (field.required() && this.locale.equals(DEFAULT) && field.value().isBlank()) {
				problem(field.id(), field.label() + " is a required legal clause: it cannot be empty.");
			}
			checkPlaceholders(field.id(), field.label(), field.value(), placeholders);
		}
	}

	private void checkPlaceholders(String field, String label, String text, Placeholders placeholders) {
		for (String problem : placeholders.problems(text)) {
			problem(field, label + ": " + problem + ".");
		}
	}

	/**
	 * Records what the authoring service refused, under the field its path names.
	 */
	void refused(TemplateContent content, List<DataViolation> violations) {
		for (DataViolation violation : violations) {
			String path = violation.field();
			String field = "draft";
			String label = "The draft";
			if (path.startsWith("content.subject")) {
				field = "subject";
				label = "Email subject";
			}
			else if (path.startsWith("content.sms")) {
				field = "sms";
				label = "SMS text";
			}
			else if (path.startsWith("content.title")) {
				field = "title";
				label = "Title";
			}
			else if (path.startsWith("content.blocks[")) {
				int index = Integer.parseInt(path.substring(15, path.indexOf(']')));
				if (index < this.blocks.size()) {
					field = this.blocks.get(index).id();
					label = this.blocks.get(index).label();
				}
			}
			problem(field, label + " " + violation.message() + ".");
		}
	}

	void problem(String field, String message) {
		this.problems.merge(field, message, (a, b) -> a + " " + b);
	}

	public List<Problem> summary() {
		return this.problems.entrySet().stream().map((e) -> new Problem(e.getKey(), e.getValue())).toList();
	}

	/**
	 * The locales a version has texts for, the default first.
	 */
	static List<String> locales(TemplateContent content) {
		TreeSet<String> locales = new TreeSet<>();
		locales.addAll(content.title().keySet());
		locales.addAll(content.subject().keySet());
		locales.addAll(content.sms().keySet());
		content.blocks().forEach((block) -> locales.addAll(block.content().keySet()));
		locales.remove(DEFAULT);
		List<String> ordered = new ArrayList<>();
		ordered.add(DEFAULT);
		ordered.addAll(locales);
		return ordered;
	}

	/**
	 * How an SMS text is charged, as the counter shows it.
	 *
	 * @param nonGsm characters that make it travel as UCS-2
	 */
	public record SmsCount(SmsEncoding encoding, List<String> nonGsm, int maxSegments) {

		static SmsCount of(String text, int maxSegments) {
			return new SmsCount(SmsEncoding.of(text), SmsEncoding.nonGsmCharacters(text), maxSegments);
		}

		public boolean tooLong() {
			return this.encoding.segments() > this.maxSegments;
		}

		public int overBy() {
			boolean gsm = this.encoding.encoding().equals("GSM-7");
			int limit = (this.maxSegments == 1) ? (gsm ? 160 : 70) : this.maxSegments * (gsm ? 153 : 67);
			return Math.max(0, this.encoding.units() - limit);
		}

		public String summary() {
			int segments = this.encoding.segments();
			return this.encoding.units() + " characters, charged as " + segments
					+ ((segments == 1) ? " message" : " messages") + " (not including personalisation); at most "
					+ this.maxSegments + " allowed.";
		}

	}

}
