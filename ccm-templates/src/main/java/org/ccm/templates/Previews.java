package org.ccm.templates;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.ccm.core.Channel;
import org.ccm.core.ContactPoint;
import org.ccm.core.ContactState;
import org.ccm.core.CustomerProfile;
import org.ccm.core.CustomerStatus;
import org.ccm.core.Customers;
import org.ccm.core.PostalAddress;
import org.ccm.core.UnknownCustomerException;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/**
 * Renders any version of a template, drafts included, for a real customer or a sample
 * one, with given data or the version's sample data, on every channel it supports.
 * Nothing is sent and no offer impression is counted.
 */
@Service
class Previews {

	private final PreparedTemplates prepared;

	private final Compositions compositions;

	private final Customers customers;

	private final Templates templates;

	private final TemplatesProperties properties;

	Previews(PreparedTemplates prepared, Compositions compositions, Customers customers, Templates templates,
			TemplatesProperties properties) {
		this.prepared = prepared;
		this.compositions = compositions;
		this.customers = customers;
		this.templates = templates;
		this.properties = properties;
	}

	/**
	 * @param version the version to render, or null for the published one
	 * @param customerExternalId a customer to render for, or null for a sample customer
	 * @param data the send's data, or null for the version's sample data
	 * @param channels channels to render, or null for all the template supports
	 * @param locale the sample customer's locale (ignored for a real customer)
	 * @throws TemplateNotFoundException when the template or version does not exist
	 * @throws UnknownCustomerException when the customer does not exist
	 * @throws InvalidTemplateDataException when the data does not match the version's
	 * schema
	 */
	public List<ChannelPreview> preview(String key, @Nullable Integer version, @Nullable String customerExternalId,
			@Nullable Map<String, Object> data, @Nullable Collection<Channel> channels, @Nullable Locale locale) {
		PreparedTemplate template = ((version != null) ? this.prepared.version(key, version)
				: this.prepared.published(key))
			.orElseThrow(() -> new TemplateNotFoundException(key, version));
		CustomerProfile customer = (customerExternalId != null)
				? this.customers.findByExternalId(customerExternalId)
					.orElseThrow(() -> new UnknownCustomerException(customerExternalId))
				: sampleCustomer((locale != null) ? locale : Locale.UK);
		Map<String, Object> values = (data != null) ? data : template.version().sampleData();
		this.templates.check(template, values);
		List<ChannelPreview> previews = new ArrayList<>();
		EnumSet<Channel> wanted = (channels == null || channels.isEmpty()) ? EnumSet.allOf(Channel.class)
				: EnumSet.copyOf(channels);
		for (Channel channel : wanted) {
			if (!template.definition().channels().contains(channel)) {
				continue;
			}
			ComposedDocument document = this.compositions.compose(template, channel, customer, values,
					OfferCounting.NONE);
			SmsEncoding sms = (channel == Channel.SMS && document.text() != null) ? SmsEncoding.of(document.text())
					: null;
			previews.add(new ChannelPreview(channel, document.subject(), document.html(), document.text(),
					document.pdf(), sms, sms == null || sms.segments() <= this.properties.sms().maxSegments(),
					document.offersShown()));
		}
		return previews;
	}

	/**
	 * The SMS text of a version with its sample data for one of its locales.
	 */
	String smsText(PreparedTemplate template, String localeKey) {
		Locale locale = localeKey.equals(Localized.DEFAULT) ? Locale.UK
				: Locale.forLanguageTag(localeKey.replace('_', '-'));
		ComposedDocument document = this.compositions.compose(template, Channel.SMS, sampleCustomer(locale),
				template.version().sampleData(), OfferCounting.NONE);
		return (document.text() != null) ? document.text() : "";
	}

	static CustomerProfile sampleCustomer(Locale locale) {
		Instant now = Instant.now();
		return new CustomerProfile(new UUID(0, 0), "sample", "Sample Customer", locale, ZoneId.of("UTC"),
				CustomerStatus.ACTIVE, new ContactPoint("sample@example.com", ContactState.VERIFIED),
				new ContactPoint("+447700900000", ContactState.VERIFIED),
				new PostalAddress(List.of("1 Sample Street"), "SW1A 1AA", "London", "GB", ContactState.VERIFIED),
				Map.of(), Map.of(), null, List.of(), now, now);
	}

}
