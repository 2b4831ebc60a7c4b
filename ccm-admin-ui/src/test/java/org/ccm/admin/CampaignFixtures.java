package org.ccm.admin;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.ccm.core.Channel;
import org.ccm.core.ConsentChange;
import org.ccm.core.ContactState;
import org.ccm.core.CustomerDetails;
import org.ccm.core.CustomerProfile;
import org.ccm.core.Customers;
import org.ccm.core.PostalAddress;
import org.ccm.core.Purpose;
import org.ccm.core.SegmentRule;
import org.ccm.core.Segments;
import org.ccm.templates.Actor;
import org.ccm.templates.DraftRequest;
import org.ccm.templates.NewTemplate;
import org.ccm.templates.TemplateAuthoring;
import org.ccm.templates.TemplateContent;
import org.jspecify.annotations.Nullable;

/**
 * Customers, a segment of them and a published template, made through the other modules'
 * public APIs, for the campaign pages.
 */
record CampaignFixtures(Customers customers, Segments segments, TemplateAuthoring authoring) {

	static final Actor AUTHOR = new Actor("brenda", Set.of(Actor.BRAND));

	static final Actor REVIEWER = new Actor("bob", Set.of(Actor.APPROVER));

	static String unique(String prefix) {
		return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
	}

	/**
	 * A template for the portal and email with version 1 published.
	 */
	String template(Purpose purpose) {
		return template(purpose, Set.of(Channel.EMAIL, Channel.PORTAL));
	}

	/**
	 * A template for these channels with version 1 published.
	 */
	String template(Purpose purpose, Set<Channel> channels) {
		return template(purpose, channels, null);
	}

	/**
	 * A template for these channels about the topic (or none) with version 1 published.
	 */
	String template(Purpose purpose, Set<Channel> channels, @Nullable String topic) {
		String key = unique("notice");
		this.authoring.create(
				new NewTemplate(key, "Annual notice " + key, purpose, channels, "letter", List.of(), topic), AUTHOR);
		TemplateContent content = new TemplateContent(Map.of("default", "Annual notice"),
				Map.of("default", "{{customer.name}}, your annual notice"),
				Map.of("default", "Hi {{customer.name}}, your annual notice is ready"), false, List.of());
		this.authoring.createDraft(key, new DraftRequest(content, "{\"type\": \"object\"}", Map.of()), AUTHOR);
		this.authoring.submit(key, 1, AUTHOR, null);
		this.authoring.approve(key, 1, REVIEWER, null);
		this.authoring.publish(key, 1, REVIEWER, null);
		return key;
	}

	/**
	 * Approves a second version of the template (another subject line), for an A/B test.
	 */
	int approvedVariant(String key) {
		TemplateContent content = new TemplateContent(Map.of("default", "Your notice is here"),
				Map.of("default", "{{customer.name}}, your notice is here"),
				Map.of("default", "Hi {{customer.name}}, your notice is here"), false, List.of());
		int version = this.authoring
			.createDraft(key, new DraftRequest(content, "{\"type\": \"object\"}", Map.of()), AUTHOR)
			.version();
		this.authoring.submit(key, version, AUTHOR, null);
		this.authoring.approve(key, version, REVIEWER, null);
		return version;
	}

	/**
	 * Customers of a town of their own who prefer the portal for transactional documents
	 * and, the first {@code consenting} of them, accept marketing email; and a segment of
	 * that town.
	 */
	Audience audience(int size, int consenting) {
		String town = unique("town");
		List<CustomerProfile> members = new ArrayList<>();
		for (int i = 0; i < size; i++) {
			String id = town + "-" + i;
			List<ConsentChange> consent = (i < consenting)
					? List.of(new ConsentChange(Channel.EMAIL, Purpose.MARKETING, true, "form")) : List.of();
			members.add(this.customers.upsert(id,
					new CustomerDetails("Customer " + i, Locale.ENGLISH, ZoneId.of("UTC"), id + "@example.com", null,
							new PostalAddress(List.of("1 High Street"), "SW1A 1AA", town, "GB", ContactState.VERIFIED),
							Map.of(), Map.of(Purpose.TRANSACTIONAL, List.of(Channel.PORTAL), Purpose.MARKETING,
									List.of(Channel.EMAIL)),
							null, consent)));
		}
		String segment = unique("seg");
		this.segments.save(segment, "People of " + town,
				new SegmentRule.Profile(SegmentRule.ProfileField.CITY, SegmentRule.Comparison.EQ, town));
		return new Audience(town, segment, members);
	}

	record Audience(String town, String segment, List<CustomerProfile> members) {

	}

}
