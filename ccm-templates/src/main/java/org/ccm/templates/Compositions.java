package org.ccm.templates;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.ccm.core.Channel;
import org.ccm.core.CustomerProfile;
import org.ccm.core.PostalAddress;
import org.ccm.core.Purpose;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/**
 * Composes personalised documents from templates. Thread-safe: called from delivery
 * workers; compiled block templates, layouts and parsed fonts are shared.
 */
@Service
public class Compositions {

	private static final Pattern PATH_FIELD = Pattern.compile("\\{([A-Za-z0-9_]+)}");

	private final PreparedTemplates prepared;

	private final BlockRenderer blocks;

	private final Layouts layouts;

	private final PdfRenderer pdfs;

	private final Offers offers;

	private final TemplatesProperties properties;

	Compositions(PreparedTemplates prepared, BlockRenderer blocks, Layouts layouts, PdfRenderer pdfs, Offers offers,
			TemplatesProperties properties) {
		this.prepared = prepared;
		this.offers = offers;
		this.blocks = blocks;
		this.layouts = layouts;
		this.pdfs = pdfs;
		this.properties = properties;
	}

	/**
	 * Composes one document. Marketer-authored blocks are rendered in a logic-less
	 * sandbox over plain data; only the developer-owned layout is rendered by Thymeleaf.
	 * @throws UnknownTemplateException when the template (or the version asked for) does
	 * not exist
	 * @throws UnsupportedChannelException when the template has no such channel
	 */
	public ComposedDocument compose(Composition composition) {
		PreparedTemplate template = (composition.version() != null)
				? this.prepared.version(composition.templateKey(), composition.version())
					.orElseThrow(() -> new UnknownTemplateException(composition.templateKey()))
				: this.prepared.published(composition.templateKey())
					.orElseThrow(() -> new UnknownTemplateException(composition.templateKey()));
		return compose(template, composition.channel(), composition.customer(), composition.data(),
				new OfferCounting(true, composition.reference()));
	}

	/**
	 * @param offerCounting whether the offers shown count against their per-customer caps
	 * (not for previews), and for what
	 */
	ComposedDocument compose(PreparedTemplate template, Channel channel, CustomerProfile customer,
			Map<String, Object> rawData, OfferCounting offerCounting) {
		TemplateDefinition definition = template.definition();
		if (!definition.channels().contains(channel)) {
			throw new UnsupportedChannelException(definition.key(), channel);
		}
		TemplateContent content = template.version().content();
		Locale locale = customer.locale();
		Map<String, Object> data = DocumentModel.plainMap(rawData);
		Formats formats = new Formats(locale, (data.get("currency") instanceof String code) ? code : null);
		Map<String, Object> links = links(definition, data);

		// what marketer-authored text sees: formatted plain data, the customer's name,
		// links
		@SuppressWarnings("unchecked")
		Map<String, Object> model = new HashMap<>(
				(Map<String, Object>) DocumentModel.formatted(data, template.schema(), formats));
		model.put("customer", customerModel(customer));
		model.put("links", links);

		String title = text(content.title(), locale, model);
		int version = template.version().version();
		List<Offer> offers = offers(template, channel, customer, offerCounting);
		List<String> shown = offers.stream().map(Offer::key).toList();
		return switch (channel) {
			case SMS -> new ComposedDocument(definition.key(), version, channel, locale, null, null,
					text(content.sms(), locale, model), null, List.of());
			case EMAIL -> {
				String subject = text(content.subject(), locale, model);
				Map<String, Object> variables = layoutVariables(template, customer, data, formats, model, links, title,
						offers);
				variables.put("subject", subject);
				Document email = Jsoup.parse(this.layouts.render(definition.layout(), "email", locale, variables));
				email.outputSettings().prettyPrint(false);
				CssInliner.inline(email);
				String text = PlainText.of(email);
				byte[] pdf = content.attachPdfToEmail() ? pdf(template, variables, locale) : null;
				// written out only if asked: with tracking the sender writes out its own
				// copy
				yield new ComposedDocument(definition.key(), version, channel, locale, subject, null, text, pdf, shown,
						email);
			}
			case PRINT -> {
				Map<String, Object> variables = layoutVariables(template, customer, data, formats, model, links, title,
						offers);
				yield new ComposedDocument(definition.key(), version, channel, locale, title, null, null,
						pdf(template, variables, locale), shown);
			}
			case PORTAL -> {
				Map<String, Object> variables = layoutVariables(template, customer, data, formats, model, links, title,
						offers);
				String html = this.layouts.render(definition.layout(), "document", locale, variables);
				yield new ComposedDocument(definition.key(), version, channel, locale, title, html, null,
						this.pdfs.render(html, this.properties.pdf().accessible()), shown);
			}
		};
	}

	/**
	 * Offers are marketing: only in transactional documents, never by SMS, and only for
	 * customers who accept marketing on the channel.
	 */
	private List<Offer> offers(PreparedTemplate template, Channel channel, CustomerProfile customer,
			OfferCounting counting) {
		if (channel == Channel.SMS || template.definition().purpose() != Purpose.TRANSACTIONAL
				|| this.properties.offers().perDocument() == 0 || (this.properties.offers().requireMarketingConsent()
						&& !customer.consents(channel, Purpose.MARKETING))) {
			return List.of();
		}
		return this.offers.choose(template.definition().key(), customer.id(), counting);
	}

	private byte[] pdf(PreparedTemplate template, Map<String, Object> variables, Locale locale) {
		String html = this.layouts.render(template.definition().layout(), "document", locale, variables);
		return this.pdfs.render(html, this.properties.pdf().accessible());
	}

	private Map<String, Object> layoutVariables(PreparedTemplate template, CustomerProfile customer,
			Map<String, Object> data, Formats formats, Map<String, Object> model, Map<String, Object> links,
			String title, List<Offer> offers) {
		TemplateContent content = template.version().content();
		Locale locale = customer.locale();
		Map<String, List<String>> slots = new HashMap<>();
		String contentLanguage = null;
		for (Block block : content.blocks()) {
			String key = Localized.key(block.content(), locale);
			if (key == null) {
				continue;
			}
			if (contentLanguage == null && block.kind() == BlockKind.EDITABLE) {
				contentLanguage = key;
			}
			slots.computeIfAbsent(block.slot(), (slot) -> new ArrayList<>())
				.add(this.blocks.html(block.content().get(key), model));
		}
		for (Offer offer : offers) {
			String source = Localized.pick(offer.content(), locale);
			if (source != null) {
				slots.computeIfAbsent("offer", (slot) -> new ArrayList<>()).add(this.blocks.html(source, model));
			}
		}
		for (String slot : List.of("intro", "closing", "legal", "footer", "offer")) {
			slots.putIfAbsent(slot, List.of());
		}
		Map<String, Object> variables = new HashMap<>();
		variables.put("title", title);
		variables.put("lang", (contentLanguage == null || contentLanguage.equals(Localized.DEFAULT)) ? "en"
				: contentLanguage.replace('_', '-'));
		variables.put("brand", Map.of("name", this.properties.brand().name(), "returnAddress",
				this.properties.brand().returnAddress()));
		Map<String, Object> customerVariables = new HashMap<>(customerModel(customer));
		customerVariables.put("addressLines", addressLines(customer.postalAddress(), locale));
		variables.put("customer", customerVariables);
		variables.put("data", data);
		variables.put("fmt", formats);
		variables.put("slots", slots);
		variables.put("links", links);
		variables.put("labels", this.layouts.labels(template.definition().layout(), locale));
		variables.put("pageSize", pageSize(customer));
		return variables;
	}

	private String pageSize(CustomerProfile customer) {
		PostalAddress address = customer.postalAddress();
		return (address != null && this.properties.pdf()
			.letterCountries()
			.stream()
			.anyMatch((country) -> country.equalsIgnoreCase(address.country()))) ? "letter" : "A4";
	}

	private Map<String, Object> links(TemplateDefinition definition, Map<String, Object> data) {
		String portal = this.properties.links().portal().toString();
		if (portal.endsWith("/")) {
			portal = portal.substring(0, portal.length() - 1);
		}
		Map<String, Object> links = new LinkedHashMap<>();
		links.put("portal", portal);
		String path = this.layouts.settings(definition.layout()).getProperty("documentPath");
		if (path != null) {
			Matcher matcher = PATH_FIELD.matcher(path);
			StringBuilder expanded = new StringBuilder();
			while (matcher.find()) {
				Object value = data.get(matcher.group(1));
				matcher.appendReplacement(expanded,
						Matcher.quoteReplacement(
								URLEncoder.encode((value != null) ? value.toString() : "", StandardCharsets.UTF_8)
									.replace("+", "%20")));
			}
			matcher.appendTail(expanded);
			links.put("document", portal + expanded);
		}
		else {
			links.put("document", portal);
		}
		return links;
	}

	private String text(Map<String, String> variants, Locale locale, Map<String, Object> model) {
		String source = Localized.pick(variants, locale);
		return (source != null) ? this.blocks.text(source, model).strip() : "";
	}

	private static Map<String, Object> customerModel(CustomerProfile customer) {
		Map<String, Object> model = new LinkedHashMap<>();
		model.put("name", customer.name());
		model.put("externalId", customer.externalId());
		return model;
	}

	/**
	 * The recipient's address as printed in the envelope window: street lines, then the
	 * town written as the destination country's post expects, then the country unless it
	 * is the sender's.
	 */
	static List<String> addressLines(@Nullable PostalAddress address, Locale locale) {
		if (address == null) {
			return List.of();
		}
		List<String> lines = new ArrayList<>(address.lines());
		String country = address.country().toUpperCase(Locale.ROOT);
		switch (country) {
			case "GB", "IE" -> {
				lines.add(address.city().toUpperCase(Locale.ROOT));
				lines.add(address.postcode());
			}
			case "US", "CA", "AU" -> lines.add(address.city() + " " + address.postcode());
			default -> lines.add(address.postcode() + " " + address.city());
		}
		return lines;
	}

}
