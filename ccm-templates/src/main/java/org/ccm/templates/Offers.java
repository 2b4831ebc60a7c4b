package org.ccm.templates;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.ccm.core.ConcurrentEditException;
import org.ccm.core.Segments;
import org.ccm.core.UnknownSegmentException;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Targeted offers and the per-customer impression cap. The offer list is kept in memory
 * for a short time, since every composition consults it. Offers are edited by staff and
 * versioned, so that two people editing one offer cannot overwrite each other;
 * impressions and claims are counted with SQL, atomically against the cap.
 * <p>
 * Offers are marketing placed in transactional documents, so composition shows only an
 * approved offer, whoever composes: every change of what it shows takes the approval
 * away, and only someone other than its last editor may approve it again. An offer never
 * approved may be discarded; once approved it is only ever retired (made inactive), since
 * documents sent have shown it.
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

	private final OfferRepository definitions;

	Offers(JdbcClient jdbc, JsonMapper json, Segments segments, BlockRenderer blocks, TemplatesProperties properties,
			OfferRepository definitions) {
		this.definitions = definitions;
		this.jdbc = jdbc;
		this.json = json;
		this.segments = segments;
		this.blocks = blocks;
		this.properties = properties;
	}

	@Transactional(readOnly = true)
	public List<Offer> all() {
		return this.definitions.findAllByOrderByPriorityDescKeyAsc().stream().map(this::offer).toList();
	}

	@Transactional(readOnly = true)
	public Optional<Offer> find(String key) {
		return this.definitions.findById(key).map(this::offer);
	}

	/**
	 * Creates or replaces an offer. When the offer names the {@link Offer#version()} it
	 * is based on, it replaces only that version.
	 * @throws InvalidTemplateContentException naming what cannot be accepted
	 * @throws ConcurrentEditException when someone else changed or deleted the offer
	 * since that version
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
		OfferEntity stored = this.definitions.findById(offer.key()).orElse(null);
		String what = "offer '" + offer.key() + "'";
		ConcurrentEditException.check(what, "version", offer.version(), (stored != null) ? stored.version() : null);
		OfferEntity entity = (stored != null) ? stored : new OfferEntity(offer.key());
		entity.change(offer, this.json.writeValueAsString(offer.content()), actor.name(), Instant.now(),
				stored == null || shownChanged(offer(stored), offer));
		try {
			entity = this.definitions.saveAndFlush(entity);
		}
		catch (OptimisticLockingFailureException | DataIntegrityViolationException ex) {
			// another editor saved between our read and our write
			throw ConcurrentEditException.simultaneous(what, "version");
		}
		this.cached = null;
		return offer(entity);
	}

	private static boolean shownChanged(Offer before, Offer after) {
		return !(before.name().equals(after.name().strip())
				&& java.util.Objects.equals(before.segment(), after.segment()) && before.priority() == after.priority()
				&& before.maxImpressions() == after.maxImpressions() && before.templates().equals(after.templates())
				&& before.content().equals(after.content()));
	}

	/**
	 * Approves what the offer shows now: only an approver, and four eyes: its last editor
	 * may not.
	 * @return the approved offer; empty when there is no such offer
	 * @throws GovernanceException when the actor edited it last ({@code FORBIDDEN}) or it
	 * is approved already ({@code CONFLICT})
	 */
	@Transactional
	public Optional<Offer> approve(String key, Actor actor) {
		OfferEntity entity = this.definitions.findById(key).orElse(null);
		if (entity == null) {
			return Optional.empty();
		}
		TemplateAuthoring.requireApprover(actor, "approve an offer");
		if (entity.updatedBy().equals(actor.name())) {
			throw new GovernanceException(GovernanceException.Reason.FORBIDDEN,
					"the last editor of an offer cannot approve it");
		}
		if (entity.approved()) {
			throw new GovernanceException(GovernanceException.Reason.CONFLICT,
					"offer '" + key + "' is approved already");
		}
		entity.approve(actor.name(), Instant.now());
		entity = this.definitions.saveAndFlush(entity);
		this.cached = null;
		return Optional.of(offer(entity));
	}

	/**
	 * Discards an offer that was never approved; an offer once approved has been shown in
	 * documents and is retired instead ({@code active: false}).
	 * @return false when there is no such offer
	 * @throws GovernanceException with {@code CONFLICT} when it was ever approved
	 */
	@Transactional
	public boolean discard(String key) {
		OfferEntity entity = this.definitions.findById(key).orElse(null);
		if (entity == null) {
			return false;
		}
		if (entity.everApproved()) {
			throw new GovernanceException(GovernanceException.Reason.CONFLICT,
					"offer '" + key + "' was approved, so it can only be retired (active: false), never deleted");
		}
		this.definitions.delete(entity);
		this.cached = null;
		return true;
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
			if (!offer.active() || offer.approvedBy() == null
					|| (!offer.templates().isEmpty() && !offer.templates().contains(templateKey))
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

	private Offer offer(OfferEntity entity) {
		return new Offer(entity.key(), entity.name(), entity.segmentKey(), entity.priority(), entity.maxImpressions(),
				List.of(entity.templates()), this.json.readValue(entity.content(), TEXTS), entity.active(),
				entity.version(), entity.approved() ? entity.approvedBy() : null);
	}

}
