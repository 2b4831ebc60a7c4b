package org.ccm.templates;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.ccm.core.Segments;
import org.ccm.core.UnknownSegmentException;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Targeted offers and the per-customer impression cap. The offer list is kept in memory
 * for a short time, since every composition consults it.
 */
@Service
class Offers {

	private static final TypeReference<Map<String, String>> TEXTS = new TypeReference<>() {
	};

	private record Cached(List<Offer> offers, Instant expires) {
	}

	private final JdbcClient jdbc;

	private final JsonMapper json;

	private final Segments segments;

	private final BlockRenderer blocks;

	private final TemplatesProperties properties;

	private volatile @Nullable Cached cached;

	Offers(JdbcClient jdbc, JsonMapper json, Segments segments, BlockRenderer blocks, TemplatesProperties properties) {
		this.jdbc = jdbc;
		this.json = json;
		this.segments = segments;
		this.blocks = blocks;
		this.properties = properties;
	}

	@Transactional(readOnly = true)
	public List<Offer> all() {
		return this.jdbc
			.sql("SELECT key, name, segment_key, priority, max_impressions, templates, content::text, "
					+ "active FROM template_offer ORDER BY priority DESC, key")
			.query(this::offer)
			.list();
	}

	@Transactional(readOnly = true)
	public Optional<Offer> find(String key) {
		return all().stream().filter((offer) -> offer.key().equals(key)).findFirst();
	}

	/**
	 * Creates or replaces an offer.
	 * @throws InvalidTemplateContentException naming what cannot be accepted
	 */
	@Transactional
	public Offer save(Offer offer, Actor actor) {
		List<DataViolation> problems = new ArrayList<>();
		if (offer.key() == null || !offer.key().matches("[a-z0-9][a-z0-9_-]{0,62}")) {
			problems.add(new DataViolation("key", "must be 1 to 63 lower-case letters, digits, '-' or '_'"));
		}
		if (offer.name() == null || offer.name().isBlank()) {
			problems.add(new DataViolation("name", "is required"));
		}
		if (offer.maxImpressions() < 1) {
			problems.add(new DataViolation("maxImpressions", "must be at least 1"));
		}
		if (offer.content().isEmpty()) {
			problems.add(new DataViolation("content", "needs at least one locale"));
		}
		offer.content().forEach((locale, text) -> {
			try {
				this.blocks.check("content." + locale, text);
			}
			catch (InvalidTemplateContentException ex) {
				problems.addAll(ex.problems());
			}
		});
		if (offer.segment() != null && this.segments.find(offer.segment()).isEmpty()) {
			problems.add(new DataViolation("segment", "is not a segment"));
		}
		if (!problems.isEmpty()) {
			throw new InvalidTemplateContentException(problems);
		}
		this.jdbc.sql("""
				INSERT INTO template_offer (key, name, segment_key, priority, max_impressions, templates, content,
				                            active, updated_by, updated_at)
				VALUES (?, ?, ?, ?, ?, ?::text[], ?::jsonb, ?, ?, now())
				ON CONFLICT (key) DO UPDATE SET name = excluded.name, segment_key = excluded.segment_key,
				  priority = excluded.priority, max_impressions = excluded.max_impressions,
				  templates = excluded.templates, content = excluded.content, active = excluded.active,
				  updated_by = excluded.updated_by, updated_at = excluded.updated_at""")
			.params(offer.key(), offer.name().strip(), offer.segment(), offer.priority(), offer.maxImpressions(),
					offer.templates().toArray(String[]::new), this.json.writeValueAsString(offer.content()),
					offer.active(), actor.name())
			.update();
		this.cached = null;
		return offer;
	}

	/**
	 * How many documents have shown the offer to the customer.
	 */
	@Transactional(readOnly = true)
	public int impressions(String offerKey, UUID customerId) {
		return this.jdbc
			.sql("SELECT impressions FROM template_offer_impression WHERE offer_key = ? AND customer_id = ?")
			.params(offerKey, customerId)
			.query(Integer.class)
			.optional()
			.orElse(0);
	}

	/**
	 * The offers a document may show the customer, best first, up to the configured
	 * number per document. When counting, each chosen offer's impression is counted,
	 * atomically against its cap, so two documents composed at once never go past it; a
	 * document composed again for the same reference (a retried send) shows the offers it
	 * was given the first time without counting them twice. Previews do not count.
	 */
	List<Offer> choose(String templateKey, UUID customerId, OfferCounting counting) {
		List<Offer> chosen = new ArrayList<>();
		// read only once an offer is a candidate: most compositions have none
		Set<String> claimed = null;
		for (Offer offer : current()) {
			if (chosen.size() >= this.properties.offers().perDocument()) {
				break;
			}
			if (!offer.active() || (!offer.templates().isEmpty() && !offer.templates().contains(templateKey))
					|| !member(offer, customerId)) {
				continue;
			}
			if (claimed == null) {
				claimed = (counting.count() && counting.reference() != null) ? claimed(counting.reference()) : Set.of();
			}
			if (claimed.contains(offer.key())) {
				chosen.add(offer);
			}
			else if (counting.count() ? claim(offer, customerId, counting.reference())
					: impressions(offer.key(), customerId) < offer.maxImpressions()) {
				chosen.add(offer);
			}
		}
		return chosen;
	}

	private Set<String> claimed(UUID reference) {
		return Set.copyOf(this.jdbc.sql("SELECT offer_key FROM template_offer_claim WHERE reference = ?")
			.param(reference)
			.query(String.class)
			.list());
	}

	private boolean member(Offer offer, UUID customerId) {
		if (offer.segment() == null) {
			return true;
		}
		try {
			return this.segments.isMember(offer.segment(), customerId);
		}
		catch (UnknownSegmentException ex) {
			// a segment deleted after the offer was saved: nobody is in it
			return false;
		}
	}

	private boolean claim(Offer offer, UUID customerId, @Nullable UUID reference) {
		boolean counted = !this.jdbc.sql("""
				INSERT INTO template_offer_impression (offer_key, customer_id, impressions, last_shown_at)
				VALUES (?, ?, 1, now())
				ON CONFLICT (offer_key, customer_id) DO UPDATE
				  SET impressions = template_offer_impression.impressions + 1, last_shown_at = now()
				  WHERE template_offer_impression.impressions < ?
				RETURNING impressions""")
			.params(offer.key(), customerId, offer.maxImpressions())
			.query(Integer.class)
			.list()
			.isEmpty();
		if (counted && reference != null) {
			this.jdbc
				.sql("INSERT INTO template_offer_claim (reference, offer_key) VALUES (?, ?) ON CONFLICT DO NOTHING")
				.params(reference, offer.key())
				.update();
		}
		return counted;
	}

	private List<Offer> current() {
		Cached current = this.cached;
		Instant now = Instant.now();
		if (current == null || current.expires().isBefore(now)) {
			current = new Cached(all(), now.plus(this.properties.publishedCacheTtl()));
			this.cached = current;
		}
		return current.offers();
	}

	private Offer offer(ResultSet rs, int row) throws SQLException {
		List<String> templates = new ArrayList<>();
		Array array = rs.getArray(6);
		if (array != null) {
			for (Object value : (Object[]) array.getArray()) {
				templates.add((String) value);
			}
		}
		return new Offer(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getInt(5), templates,
				this.json.readValue(rs.getString(7), TEXTS), rs.getBoolean(8));
	}

}
