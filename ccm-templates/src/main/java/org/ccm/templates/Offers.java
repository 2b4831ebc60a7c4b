package org.ccm.templates;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
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
 * approved offer, whoever composes, and only within its dates: every change of what it
 * shows takes the approval away, and only someone other than its last editor (and the one
 * who submitted it) may approve or reject it. Marketers write and submit, approvers
 * approve or reject, whatever page or endpoint calls. An offer never approved may be
 * discarded; once approved it is only ever retired (made inactive), since documents sent
 * have shown it. Every step is recorded with who, when and why.
 */
@Service
public class Offers {

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
		requireMarketer(actor, "change offers");
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
			if (!locale.equals(Localized.DEFAULT)
					&& Locale.forLanguageTag(locale.replace('_', '-')).getLanguage().isEmpty()) {
				problems.add(new DataViolation("content." + locale, "is not a locale (use 'default', 'pl', 'pl-PL')"));
				return;
			}
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
		if (offer.startsAt() != null && offer.endsAt() != null && !offer.endsAt().isAfter(offer.startsAt())) {
			problems.add(new DataViolation("endsAt", "must be after startsAt"));
		}
		if (!problems.isEmpty()) {
			throw new InvalidTemplateContentException(problems);
		}
		OfferEntity stored = this.definitions.findById(offer.key()).orElse(null);
		String what = "offer '" + offer.key() + "'";
		ConcurrentEditException.check(what, "version", offer.version(), (stored != null) ? stored.version() : null);
		OfferEntity entity = (stored != null) ? stored : new OfferEntity(offer.key());
		boolean wasActive = stored != null && stored.active();
		// switching an offer on or off means something only once it was approved
		boolean everApproved = stored != null && stored.everApproved();
		Instant now = now();
		entity.change(offer, this.json.writeValueAsString(offer.content()), actor.name(), now,
				stored == null || shownChanged(offer(stored), offer));
		try {
			entity = this.definitions.saveAndFlush(entity);
		}
		catch (OptimisticLockingFailureException | DataIntegrityViolationException ex) {
			// another editor saved between our read and our write
			throw ConcurrentEditException.simultaneous(what, "version");
		}
		if (stored == null) {
			record(offer.key(), OfferChange.Action.CREATED, actor, null, now);
		}
		else if (everApproved && wasActive && !offer.active()) {
			record(offer.key(), OfferChange.Action.RETIRED, actor, null, now);
		}
		else if (everApproved && !wasActive && offer.active()) {
			record(offer.key(), OfferChange.Action.REACTIVATED, actor, null, now);
		}
		else {
			record(offer.key(), OfferChange.Action.SAVED, actor, null, now);
		}
		this.cached = null;
		return offer(entity);
	}

	private static boolean shownChanged(Offer before, Offer after) {
		return !(before.name().equals(after.name().strip()) && Objects.equals(before.segment(), after.segment())
				&& before.priority() == after.priority() && before.maxImpressions() == after.maxImpressions()
				&& before.templates().equals(after.templates()) && before.content().equals(after.content())
				&& Objects.equals(before.startsAt(), after.startsAt())
				&& Objects.equals(before.endsAt(), after.endsAt()));
	}

	/**
	 * Submits what the offer shows now for review.
	 * @param version the version the submitter read, or null not to check it
	 * @throws GovernanceException when the actor is no marketer ({@code FORBIDDEN}), or
	 * the offer is in review, approved or retired already ({@code CONFLICT})
	 * @throws ConcurrentEditException when the offer changed since that version
	 */
	@Transactional
	public Offer submit(String key, @Nullable Long version, Actor actor, @Nullable String comment) {
		requireMarketer(actor, "submit offers for review");
		OfferEntity entity = existing(key, version);
		if (entity.state() != OfferState.DRAFT) {
			throw new GovernanceException(GovernanceException.Reason.CONFLICT,
					"offer '" + key + "' is " + label(entity.state()) + "; only a draft can be submitted");
		}
		Instant now = now();
		entity.submit(actor.name(), now);
		return stepped(entity, OfferChange.Action.SUBMITTED, actor, comment, now);
	}

	/**
	 * Approves what the offer shows now, with a comment, after checking that the approver
	 * read the version that is stored.
	 * @throws GovernanceException when the actor is no approver, edited or submitted it
	 * ({@code FORBIDDEN}), or it is approved or retired already ({@code CONFLICT})
	 * @throws ConcurrentEditException when the offer changed since that version
	 */
	@Transactional
	public Offer approve(String key, @Nullable Long version, Actor actor, @Nullable String comment) {
		OfferEntity entity = existing(key, version);
		TemplateAuthoring.requireApprover(actor, "approve an offer");
		requireOtherThanAuthor(entity, actor, "approve");
		if (entity.approved()) {
			throw new GovernanceException(GovernanceException.Reason.CONFLICT,
					"offer '" + key + "' is approved already");
		}
		Instant now = now();
		entity.approve(actor.name(), now, this.json.writeValueAsString(offer(entity)));
		return stepped(entity, OfferChange.Action.APPROVED, actor, comment, now);
	}

	/**
	 * Sends an offer in review back to its author with what needs to change.
	 * @throws InvalidTemplateContentException when the comment is missing
	 * @throws GovernanceException as for approving, or when it is not in review
	 */
	@Transactional
	public Offer reject(String key, @Nullable Long version, Actor actor, @Nullable String comment) {
		if (comment == null || comment.isBlank()) {
			throw new InvalidTemplateContentException("comment", "says what needs to change");
		}
		OfferEntity entity = existing(key, version);
		TemplateAuthoring.requireApprover(actor, "reject an offer");
		requireOtherThanAuthor(entity, actor, "reject");
		if (entity.state() != OfferState.IN_REVIEW) {
			throw new GovernanceException(GovernanceException.Reason.CONFLICT,
					"offer '" + key + "' is " + label(entity.state()) + "; only an offer in review can be rejected");
		}
		entity.reject();
		return stepped(entity, OfferChange.Action.REJECTED, actor, comment.strip(), now());
	}

	/**
	 * Makes an approved offer inactive: documents stop showing it at once. Marketers and
	 * approvers may, since it only ever stops marketing.
	 */
	@Transactional
	public Offer retire(String key, @Nullable Long version, Actor actor, @Nullable String comment) {
		if (!actor.marketer() && !actor.approver()) {
			throw new GovernanceException(GovernanceException.Reason.FORBIDDEN,
					"only a marketer or an approver may retire an offer");
		}
		OfferEntity entity = existing(key, version);
		if (!entity.everApproved() || !entity.active()) {
			throw new GovernanceException(GovernanceException.Reason.CONFLICT, "offer '" + key + "' is "
					+ label(entity.state()) + "; only an offer once approved and still active is retired");
		}
		Instant now = now();
		entity.retire(actor.name(), now);
		return stepped(entity, OfferChange.Action.RETIRED, actor, comment, now);
	}

	/**
	 * Every step of the offer, oldest first.
	 */
	@Transactional(readOnly = true)
	public List<OfferChange> history(String key) {
		return this.jdbc.sql("""
				SELECT action, actor, comment, occurred_at FROM template_offer_change
				WHERE offer_key = ? ORDER BY id""")
			.param(key)
			.query((rs, row) -> new OfferChange(OfferChange.Action.valueOf(rs.getString("action")),
					rs.getString("actor"), rs.getString("comment"), rs.getTimestamp("occurred_at").toInstant()))
			.list();
	}

	/**
	 * The offer as it was approved last, for comparing a change with it; empty when it
	 * was never approved.
	 */
	@Transactional(readOnly = true)
	public Optional<Offer> lastApproved(String key) {
		return this.definitions.findById(key)
			.map(OfferEntity::approvedSnapshot)
			.map((snapshot) -> this.json.readValue(snapshot, Offer.class));
	}

	/**
	 * The offer's text for a locale as documents show it to a sample customer
	 * (placeholders filled in, sanitised); empty when no text fits the locale.
	 * @throws InvalidTemplateContentException when a text cannot be rendered
	 */
	public String preview(Map<String, String> content, Locale locale) {
		String source = Localized.pick(content, locale);
		if (source == null) {
			return "";
		}
		this.blocks.check("content", source);
		Map<String, Object> customer = new LinkedHashMap<>();
		customer.put("name", "Sample Customer");
		customer.put("externalId", "sample");
		String portal = this.properties.links().portal().toString().replaceFirst("/$", "");
		return this.blocks.html(source, Map.of("customer", customer, "links",
				Map.of("portal", portal, "document", portal + "/documents/sample")));
	}

	/**
	 * What the allow-list sanitiser removes from an offer's HTML, so marketers see it
	 * before saving.
	 */
	public List<String> sanitiserRemovals(String html) {
		return BlockRenderer.removals(html);
	}

	private OfferEntity existing(String key, @Nullable Long version) {
		OfferEntity entity = this.definitions.findById(key)
			.orElseThrow(() -> new GovernanceException(GovernanceException.Reason.CONFLICT,
					"offer '" + key + "' does not exist (any more)"));
		ConcurrentEditException.check("offer '" + key + "'", "version", version, entity.version());
		return entity;
	}

	private Offer stepped(OfferEntity entity, OfferChange.Action action, Actor actor, @Nullable String comment,
			Instant now) {
		OfferEntity saved;
		try {
			saved = this.definitions.saveAndFlush(entity);
		}
		catch (OptimisticLockingFailureException ex) {
			throw ConcurrentEditException.simultaneous("offer '" + entity.key() + "'", "version");
		}
		record(entity.key(), action, actor, (comment == null || comment.isBlank()) ? null : comment.strip(), now);
		this.cached = null;
		return offer(saved);
	}

	private void record(String key, OfferChange.Action action, Actor actor, @Nullable String comment, Instant now) {
		this.jdbc.sql("""
				INSERT INTO template_offer_change (offer_key, action, actor, comment, occurred_at)
				VALUES (?, ?, ?, ?, ?)""")
			.params(key, action.name(), actor.name(), comment, java.sql.Timestamp.from(now))
			.update();
	}

	// four eyes: neither the last editor nor the one who submitted it
	private static void requireOtherThanAuthor(OfferEntity entity, Actor actor, String what) {
		if (entity.updatedBy().equals(actor.name()) || actor.name().equals(entity.submittedBy())) {
			throw new GovernanceException(GovernanceException.Reason.FORBIDDEN,
					"the last editor of an offer cannot " + what + " it");
		}
	}

	static void requireMarketer(Actor actor, String what) {
		if (!actor.marketer()) {
			throw new GovernanceException(GovernanceException.Reason.FORBIDDEN, "only a marketer may " + what);
		}
	}

	private static String label(OfferState state) {
		return switch (state) {
			case DRAFT -> "a draft";
			case IN_REVIEW -> "in review";
			case APPROVED -> "approved";
			case RETIRED -> "retired";
		};
	}

	private static Instant now() {
		return Instant.now().truncatedTo(ChronoUnit.MICROS);
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
		if (this.definitions.findById(key).isEmpty()) {
			return Optional.empty();
		}
		return Optional.of(approve(key, null, actor, null));
	}

	/**
	 * Discards an offer that was never approved; an offer once approved has been shown in
	 * documents and is retired instead ({@code active: false}).
	 * @return false when there is no such offer
	 * @throws GovernanceException with {@code CONFLICT} when it was ever approved
	 */
	@Transactional
	public boolean discard(String key, Actor actor) {
		requireMarketer(actor, "discard offers");
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
		Instant now = Instant.now();
		// read only once an offer is a candidate: most compositions have none
		Set<String> claimed = null;
		for (Offer offer : current()) {
			if (chosen.size() >= this.properties.offers().perDocument()) {
				break;
			}
			if (!offer.active() || offer.approvedBy() == null || !offer.showsAt(now)
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
				entity.version(), entity.approved() ? entity.approvedBy() : null, entity.startsAt(), entity.endsAt(),
				entity.state(), entity.updatedBy(), entity.updatedAt());
	}

}
