package org.ccm.campaigns;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.ccm.core.Channel;
import org.ccm.core.ConsentChange;
import org.ccm.core.CustomerDetails;
import org.ccm.core.CustomerProfile;
import org.ccm.core.Customers;
import org.ccm.core.Purpose;
import org.ccm.core.SegmentRule;
import org.ccm.core.Segments;
import org.ccm.templates.Actor;
import org.ccm.templates.DraftRequest;
import org.ccm.templates.NewTemplate;
import org.ccm.templates.TemplateAuthoring;
import org.ccm.templates.TemplateContent;

/**
 * Real customers, segments and published templates, made through the other modules'
 * public APIs.
 */
record CampaignFixtures(Customers customers, Segments segments, TemplateAuthoring authoring) {

	static final Actor AUTHOR = new Actor("brenda", Set.of(Actor.BRAND));

	static final Actor REVIEWER = new Actor("bob", Set.of(Actor.APPROVER));

	static final String SCHEMA = """
			{"type": "object", "required": ["season"], "properties": {"season": {"type": "string"}}}""";

	static String unique(String prefix) {
		return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
	}

	/**
	 * A marketing template for email and SMS with version 1 published; each further
	 * subject gives another approved version.
	 */
	String template(String... subjects) {
		String key = unique("news");
		this.authoring.create(new NewTemplate(key, "News", Purpose.MARKETING, Set.of(Channel.EMAIL, Channel.SMS),
				"letter", List.of()), AUTHOR);
		for (int i = 0; i < Math.max(1, subjects.length); i++) {
			String subject = (subjects.length > 0) ? subjects[i] : "{{customer.name}}, {{season}} news";
			TemplateContent content = new TemplateContent(Map.of("default", "News"), Map.of("default", subject),
					Map.of("default", "Hi {{customer.name}}, {{season}} news"), false, List.of());
			this.authoring.createDraft(key, new DraftRequest(content, SCHEMA, Map.of("season", "autumn")), AUTHOR);
			this.authoring.submit(key, i + 1, AUTHOR, null);
			this.authoring.approve(key, i + 1, REVIEWER, null);
			if (i == 0) {
				this.authoring.publish(key, 1, REVIEWER, null);
			}
		}
		return key;
	}

	/**
	 * Customers in a town of their own who accept marketing email and SMS, and a segment
	 * of that town.
	 */
	Audience audience(int size) {
		String town = unique("town");
		List<CustomerProfile> members = new ArrayList<>();
		for (int i = 0; i < size; i++) {
			members.add(customer(town, i, true));
		}
		String segment = unique("seg");
		this.segments.save(segment, "People of " + town,
				new SegmentRule.Profile(SegmentRule.ProfileField.CITY, SegmentRule.Comparison.EQ, town));
		return new Audience(town, segment, members);
	}

	CustomerProfile customer(String town, int number, boolean consents) {
		String id = town + "-" + number;
		List<ConsentChange> consent = consents
				? List.of(new ConsentChange(Channel.EMAIL, Purpose.MARKETING, true, "form"),
						new ConsentChange(Channel.SMS, Purpose.MARKETING, true, "form"))
				: List.of();
		return this.customers.upsert(id,
				new CustomerDetails("Customer " + number, Locale.ENGLISH, ZoneId.of("UTC"), id + "@example.com",
						"+447911123456",
						new org.ccm.core.PostalAddress(List.of("1 High Street"), "SW1A 1AA", town, "GB",
								org.ccm.core.ContactState.VERIFIED),
						Map.of(), Map.of(Purpose.MARKETING, List.of(Channel.EMAIL)), null, consent));
	}

	record Audience(String town, String segment, List<CustomerProfile> members) {

	}

}
