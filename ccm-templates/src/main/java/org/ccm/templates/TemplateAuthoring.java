package org.ccm.templates;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.ccm.core.Channel;
import org.ccm.core.Purpose;
import org.ccm.core.Topics;
import org.ccm.templates.GovernanceException.Reason;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import tools.jackson.databind.json.JsonMapper;

/**
 * Governed authoring: templates, immutable versions and their review. A version moves
 * draft → in review → approved → published → retired; only drafts change, the author of a
 * version cannot approve it, locked brand and legal blocks change only with the brand
 * role, and a version without every required legal clause cannot be published. Every
 * transition is recorded with who, when and why.
 */
@Service
public class TemplateAuthoring {

	private static final Set<String> SLOTS = Set.of("intro", "closing", "legal", "footer", "offer");

	private final TemplateStore store;

	private final BlockRenderer blocks;

	private final DataSchemas schemas;

	private final Layouts layouts;

	private final PreparedTemplates prepared;

	private final Previews previews;

	private final JsonMapper json;

	private final TemplatesProperties properties;

	private final Offers offers;

	private final Topics topics;

	TemplateAuthoring(TemplateStore store, BlockRenderer blocks, DataSchemas schemas, Layouts layouts,
			PreparedTemplates prepared, Previews previews, JsonMapper json, TemplatesProperties properties,
			Offers offers, Topics topics) {
		this.topics = topics;
		this.offers = offers;
		this.store = store;
		this.blocks = blocks;
		this.schemas = schemas;
		this.layouts = layouts;
		this.prepared = prepared;
		this.previews = previews;
		this.json = json;
		this.properties = properties;
	}

	/**
	 * The names of the offers targeted at each segment, by segment key, so that the
	 * segment pages say where a segment is used.
	 */
	@Transactional(readOnly = true)
	public Map<String, List<String>> offersBySegment() {
		Map<String, List<String>> offers = new TreeMap<>();
		for (Offer offer : this.offers.all()) {
			if (offer.segment() != null) {
				offers.computeIfAbsent(offer.segment(), (key) -> new ArrayList<>()).add(offer.name());
			}
		}
		return offers;
	}

	@Transactional(readOnly = true)
	public List<TemplateDefinition> templates() {
		return this.store.definitions();
	}

	@Transactional(readOnly = true)
	public TemplateDefinition template(String key) {
		return this.store.definition(key).orElseThrow(() -> new TemplateNotFoundException(key, null));
	}

	@Transactional(readOnly = true)
	public List<TemplateVersion> versions(String key) {
		template(key);
		return this.store.versions(key);
	}

	@Transactional(readOnly = true)
	public TemplateVersion version(String key, int version) {
		return this.store.version(key, version).orElseThrow(() -> new TemplateNotFoundException(key, version));
	}

	@Transactional(readOnly = true)
	public List<VersionTransition> history(String key, int version) {
		version(key, version);
		return this.store.transitions(key, version);
	}

	/**
	 * Creates a template without versions. Only the brand role may, since the template
	 * decides the layout and the legal clauses its versions need.
	 */
	@Transactional
	public TemplateDefinition create(NewTemplate template, Actor actor) {
		if (!actor.brand()) {
			throw new GovernanceException(Reason.FORBIDDEN, "only the brand role may create templates");
		}
		List<DataViolation> problems = new ArrayList<>();
		if (template.key() == null || !template.key().matches("[a-z0-9][a-z0-9_-]{0,62}")) {
			problems.add(new DataViolation("key", "must be 1 to 63 lower-case letters, digits, '-' or '_'"));
		}
		if (template.name() == null || template.name().isBlank()) {
			problems.add(new DataViolation("name", "is required"));
		}
		if (template.purpose() == null) {
			problems.add(new DataViolation("purpose", "is required"));
		}
		if (template.channels() == null || template.channels().isEmpty()) {
			problems.add(new DataViolation("channels", "must name at least one channel"));
		}
		if (template.layout() == null || !this.layouts.exists(template.layout())) {
			problems.add(new DataViolation("layout", "is not a layout of this application"));
		}
		String topic = blankToNull(template.topic());
		topicProblem(template.purpose(), topic).ifPresent(problems::add);
		if (!problems.isEmpty()) {
			throw new InvalidTemplateContentException(problems);
		}
		TemplateDefinition definition = new TemplateDefinition(template.key(), template.name().strip(),
				template.purpose(), template.channels(), template.layout(),
				(template.requiredClauses() != null) ? template.requiredClauses() : List.of(), actor.name(), now(),
				topic);
		try {
			this.store.insertDefinition(definition);
		}
		catch (DataIntegrityViolationException ex) {
			throw new GovernanceException(Reason.CONFLICT, "template '" + template.key() + "' exists already");
		}
		return definition;
	}

	/**
	 * Names the topic the template's messages are about, or none (null or blank). Only
	 * the brand role may, as for creating templates: the topic decides whom the
	 * template's messages reach. Applies to the published version at once.
	 * @throws InvalidTemplateContentException when the topic is unknown or the template
	 * is not a marketing one
	 */
	@Transactional
	public TemplateDefinition changeTopic(String key, @Nullable String topic, Actor actor) {
		if (!actor.brand()) {
			throw new GovernanceException(Reason.FORBIDDEN, "only the brand role may change a template's topic");
		}
		TemplateDefinition definition = template(key);
		String named = blankToNull(topic);
		topicProblem(definition.purpose(), named).ifPresent((problem) -> {
			throw new InvalidTemplateContentException(List.of(problem));
		});
		this.store.updateTopic(key, named);
		evictAfterCommit(key, true);
		return definition.withTopic(named);
	}

	/**
	 * The topics that published templates name: the preference centre offers these.
	 */
	@Transactional(readOnly = true)
	public Set<String> publishedTopics() {
		return new TreeSet<>(this.store.publishedTopics());
	}

	private Optional<DataViolation> topicProblem(@Nullable Purpose purpose, @Nullable String topic) {
		if (topic == null) {
			return Optional.empty();
		}
		if (this.topics.find(topic).isEmpty()) {
			return Optional.of(new DataViolation("topic", "is not a topic of this platform (ccm.core.topics)"));
		}
		if (purpose != Purpose.MARKETING) {
			return Optional.of(new DataViolation("topic",
					"only marketing templates name a topic: transactional messages reach every customer"));
		}
		return Optional.empty();
	}

	private static @Nullable String blankToNull(@Nullable String text) {
		return (text == null || text.isBlank()) ? null : text.strip();
	}

	/**
	 * Writes a new draft version, based on the published version (or the latest one).
	 */
	@Transactional
	public TemplateVersion createDraft(String key, DraftRequest draft, Actor actor) {
		TemplateDefinition definition = template(key);
		TemplateVersion base = base(key, null);
		String schema = checkedDraft(definition, draft, base, actor);
		Map<String, Object> sample = sample(draft, base);
		Instant now = now();
		int version = this.store.insertDraft(key, actor.name(), draft.content(), schema, sample, now);
		this.store.recordTransition(key, version, null, VersionState.DRAFT, actor.name(),
				(base != null) ? "based on version " + base.version() : "first version", now);
		return version(key, version);
	}

	/**
	 * Changes a draft; only its author may, and only while it is a draft.
	 * @throws org.ccm.core.ConcurrentEditException when the request names the revision it
	 * is based on and the draft was changed since
	 */
	@Transactional
	public TemplateVersion updateDraft(String key, int version, DraftRequest draft, Actor actor) {
		TemplateDefinition definition = template(key);
		TemplateVersion current = version(key, version);
		if (current.state() != VersionState.DRAFT) {
			throw new GovernanceException(Reason.CONFLICT,
					"version " + version + " is " + current.state() + " and can no longer change");
		}
		if (!current.author().equals(actor.name())) {
			throw new GovernanceException(Reason.FORBIDDEN, "only the author of a draft may change it");
		}
		TemplateVersion base = base(key, version);
		String schema = checkedDraft(definition, draft, (base != null) ? base : current, actor);
		if (!this.store.updateDraft(key, version, draft.content(), schema, sample(draft, current), now(),
				draft.revision())) {
			throw new GovernanceException(Reason.CONFLICT, "version " + version + " is no longer a draft");
		}
		return version(key, version);
	}

	/**
	 * Discards a draft; only its author may, and only while it is a draft. A version that
	 * went to review and was approved is never deleted, only retired.
	 */
	@Transactional
	public void discardDraft(String key, int version, Actor actor) {
		template(key);
		TemplateVersion current = version(key, version);
		if (current.state() != VersionState.DRAFT) {
			throw new GovernanceException(Reason.CONFLICT, "version " + version + " is " + current.state()
					+ "; only drafts can be discarded, other versions are retired");
		}
		if (!current.author().equals(actor.name())) {
			throw new GovernanceException(Reason.FORBIDDEN, "only the author of a draft may discard it");
		}
		if (!this.store.deleteDraft(key, version)) {
			throw new GovernanceException(Reason.CONFLICT, "version " + version + " is no longer a draft");
		}
	}

	/**
	 * Changes a draft unless it changed since the caller read it: a second editor (or a
	 * second tab) saving over a draft another save has changed is refused, nothing is
	 * overwritten.
	 * @param readAt the {@link TemplateVersion#updatedAt()} the caller's edit started
	 * from
	 * @throws GovernanceException with reason {@code CONFLICT} when the draft changed
	 * since
	 */
	@Transactional
	public TemplateVersion updateDraft(String key, int version, DraftRequest draft, Actor actor, Instant readAt) {
		this.store.lockTemplate(key);
		TemplateVersion current = version(key, version);
		if (!current.updatedAt().equals(readAt.truncatedTo(ChronoUnit.MICROS))) {
			throw new GovernanceException(Reason.CONFLICT,
					"version " + version + " was changed at " + current.updatedAt() + " after you opened it");
		}
		return updateDraft(key, version, draft, actor);
	}

	/**
	 * Sends a version in review back to its author as a draft with changes requested.
	 * Only an approver, four eyes: its author may not, and the reason is required.
	 */
	@Transactional
	public TemplateVersion reject(String key, int version, Actor actor, String comment) {
		TemplateVersion current = version(key, version);
		if (comment == null || comment.isBlank()) {
			throw new InvalidTemplateContentException("comment", "says what needs to change");
		}
		requireApprover(actor, "reject");
		if (current.author().equals(actor.name())) {
			throw new GovernanceException(Reason.FORBIDDEN, "the author of a version cannot reject it");
		}
		return move(current, VersionState.IN_REVIEW, VersionState.DRAFT, actor, comment.strip());
	}

	/**
	 * What the allow-list sanitiser removes from an authored block (elements and
	 * attributes, such as {@code <script>} or {@code onclick on
	 *
	<p>
	 * }), so authors see it before saving rather than finding it missing from documents.
	 */
	public List<String> sanitiserRemovals(String html) {
		return BlockRenderer.removals(html);
	}

	/**
	 * The most segments an SMS text may use ({@code ccm.templates.sms.max-segments}).
	 */
	public int smsMaxSegments() {
		return this.properties.sms().maxSegments();
	}

	@Transactional
	public TemplateVersion submit(String key, int version, Actor actor, @Nullable String comment) {
		TemplateVersion current = version(key, version);
		checkSmsLength(template(key), current);
		return move(current, VersionState.DRAFT, VersionState.IN_REVIEW, actor, comment);
	}

	/**
	 * Approves a version in review: only an approver, and four eyes: its author may not.
	 */
	@Transactional
	public TemplateVersion approve(String key, int version, Actor actor, @Nullable String comment) {
		TemplateVersion current = version(key, version);
		requireApprover(actor, "approve");
		if (current.author().equals(actor.name())) {
			throw new GovernanceException(Reason.FORBIDDEN, "the author of a version cannot approve it");
		}
		return move(current, VersionState.IN_REVIEW, VersionState.APPROVED, actor, comment);
	}

	/**
	 * Publishes an approved version; the version published before is retired.
	 * @throws InvalidTemplateContentException when a required legal clause is missing
	 */
	@Transactional
	public TemplateVersion publish(String key, int version, Actor actor, @Nullable String comment) {
		TemplateDefinition definition = template(key);
		TemplateVersion current = version(key, version);
		List<DataViolation> missing = missingClauses(definition, current.content());
		if (!missing.isEmpty()) {
			throw new InvalidTemplateContentException(missing);
		}
		if (current.state() != VersionState.APPROVED) {
			throw new GovernanceException(Reason.CONFLICT,
					"version " + version + " is " + current.state() + "; only approved versions can be published");
		}
		Instant now = now();
		this.store.lockTemplate(key);
		Optional<TemplateVersion> previous = this.store.published(key);
		previous.ifPresent((old) -> this.store.transition(key, old.version(), VersionState.PUBLISHED,
				VersionState.RETIRED, actor.name(), "replaced by version " + version, now));
		TemplateVersion published = move(current, VersionState.APPROVED, VersionState.PUBLISHED, actor, comment);
		evictAfterCommit(key);
		return published;
	}

	/**
	 * Retires a version from any state but retired: a published one stops being sent, a
	 * draft or a version in review is set aside.
	 */
	@Transactional
	public TemplateVersion retire(String key, int version, Actor actor, @Nullable String comment) {
		TemplateVersion current = version(key, version);
		if (current.state() == VersionState.RETIRED) {
			throw new GovernanceException(Reason.CONFLICT, "version " + version + " is retired already");
		}
		TemplateVersion retired = move(current, current.state(), VersionState.RETIRED, actor, comment);
		evictAfterCommit(key);
		return retired;
	}

	/**
	 * What changed from one version to another: texts per locale, blocks, the schema.
	 */
	@Transactional(readOnly = true)
	public List<VersionChange> diff(String key, int from, int to) {
		Map<String, String> before = flatten(version(key, from));
		Map<String, String> after = flatten(version(key, to));
		Set<String> paths = new TreeSet<>(before.keySet());
		paths.addAll(after.keySet());
		List<VersionChange> changes = new ArrayList<>();
		for (String path : paths) {
			String a = before.get(path);
			String b = after.get(path);
			if (a == null) {
				changes.add(new VersionChange(path, VersionChange.Kind.ADDED, null, b));
			}
			else if (b == null) {
				changes.add(new VersionChange(path, VersionChange.Kind.REMOVED, a, null));
			}
			else if (!a.equals(b)) {
				changes.add(new VersionChange(path, VersionChange.Kind.CHANGED, a, b));
			}
		}
		return changes;
	}

	// whatever page or endpoint called: the review is the approvers' decision
	static void requireApprover(Actor actor, String what) {
		if (!actor.approver()) {
			throw new GovernanceException(Reason.FORBIDDEN, "only an approver may " + what);
		}
	}

	private TemplateVersion move(TemplateVersion current, VersionState from, VersionState to, Actor actor,
			@Nullable String comment) {
		if (current.state() != from || !this.store.transition(current.templateKey(), current.version(), from, to,
				actor.name(), comment, now())) {
			throw new GovernanceException(Reason.CONFLICT, "version " + current.version() + " is " + current.state()
					+ "; it must be " + from + " to become " + to);
		}
		return version(current.templateKey(), current.version());
	}

	private @Nullable TemplateVersion base(String key, @Nullable Integer except) {
		Optional<TemplateVersion> published = this.store.published(key);
		if (published.isPresent()) {
			return published.get();
		}
		List<TemplateVersion> versions = this.store.versions(key);
		for (int i = versions.size() - 1; i >= 0; i--) {
			if (except == null || versions.get(i).version() != except) {
				return versions.get(i);
			}
		}
		return null;
	}

	/**
	 * Checks a draft's content and rights; the schema text to store.
	 */
	private String checkedDraft(TemplateDefinition definition, DraftRequest draft, @Nullable TemplateVersion base,
			Actor actor) {
		List<DataViolation> problems = new ArrayList<>();
		TemplateContent content = draft.content();
		if (content == null) {
			throw new InvalidTemplateContentException("content", "is required");
		}
		checkTexts("title", content.title(), problems);
		checkTexts("subject", content.subject(), problems);
		checkTexts("sms", content.sms(), problems);
		Set<String> keys = new HashSet<>();
		for (int i = 0; i < content.blocks().size(); i++) {
			Block block = content.blocks().get(i);
			String field = "content.blocks[" + i + "]";
			if (block.key() == null || !block.key().matches("[a-z0-9][a-z0-9_-]{0,62}")) {
				problems.add(new DataViolation(field + ".key", "must be a lower-case identifier"));
			}
			else if (!keys.add(block.key())) {
				problems.add(new DataViolation(field + ".key", "is used by another block"));
			}
			if (block.kind() == null) {
				problems.add(new DataViolation(field + ".kind", "is required"));
			}
			if (block.slot() == null || !SLOTS.contains(block.slot())) {
				problems.add(new DataViolation(field + ".slot", "must be one of " + new TreeSet<>(SLOTS)));
			}
			if (block.content().isEmpty()) {
				problems.add(new DataViolation(field + ".content", "needs at least one locale"));
			}
			checkTexts(field + ".content", block.content(), problems);
		}
		if (definition.channels().contains(Channel.SMS) && content.sms().isEmpty()) {
			problems.add(new DataViolation("content.sms", "is required for a template sent by SMS"));
		}
		if (definition.channels().contains(Channel.EMAIL) && content.subject().isEmpty()) {
			problems.add(new DataViolation("content.subject", "is required for a template sent by email"));
		}
		String schema = (draft.dataSchema() != null) ? draft.dataSchema() : (base != null) ? base.dataSchema() : null;
		if (schema == null) {
			problems.add(new DataViolation("dataSchema", "is required for the first version of a template"));
		}
		else {
			problems.addAll(this.schemas.schemaProblems(schema));
		}
		if (!problems.isEmpty()) {
			throw new InvalidTemplateContentException(problems);
		}
		Map<String, Object> sample = sample(draft, base);
		List<DataViolation> sampleProblems = this.schemas.violations(schema, sample);
		if (!sampleProblems.isEmpty()) {
			throw new InvalidTemplateContentException(sampleProblems.stream()
				.map((v) -> new DataViolation("sampleData" + v.field().replaceFirst("^/$", ""), v.message()))
				.toList());
		}
		List<String> locked = changedLockedBlocks((base != null) ? base.content() : null, content);
		if (!locked.isEmpty() && !actor.brand()) {
			throw new GovernanceException(Reason.FORBIDDEN,
					"only the brand role may change locked blocks: " + String.join(", ", locked));
		}
		return schema;
	}

	private void checkTexts(String field, Map<String, String> texts, List<DataViolation> problems) {
		texts.forEach((locale, text) -> {
			if (!locale.equals(Localized.DEFAULT)
					&& Locale.forLanguageTag(locale.replace('_', '-')).getLanguage().isEmpty()) {
				problems.add(new DataViolation(field + "." + locale, "is not a locale (use 'default', 'pl', 'pl-PL')"));
				return;
			}
			try {
				this.blocks.check(field + "." + locale, text);
			}
			catch (InvalidTemplateContentException ex) {
				problems.addAll(ex.problems());
			}
		});
	}

	private static Map<String, Object> sample(DraftRequest draft, @Nullable TemplateVersion base) {
		if (draft.sampleData() != null) {
			return DocumentModel.plainMap(draft.sampleData());
		}
		return (base != null) ? base.sampleData() : Map.of();
	}

	/**
	 * Keys of brand and legal blocks that differ between the base and the draft: added,
	 * removed, edited or turned into editable blocks.
	 */
	static List<String> changedLockedBlocks(@Nullable TemplateContent base, TemplateContent draft) {
		Map<String, Block> before = new LinkedHashMap<>();
		if (base != null) {
			base.blocks().forEach((block) -> before.put(block.key(), block));
		}
		Map<String, Block> after = new LinkedHashMap<>();
		draft.blocks().forEach((block) -> after.put(block.key(), block));
		Set<String> changed = new TreeSet<>();
		before.forEach((key, block) -> {
			if (block.kind().locked() && !Objects.equals(block, after.get(key))) {
				changed.add(key);
			}
		});
		after.forEach((key, block) -> {
			if (block.kind() != null && block.kind().locked() && !Objects.equals(block, before.get(key))) {
				changed.add(key);
			}
		});
		return new ArrayList<>(changed);
	}

	static List<DataViolation> missingClauses(TemplateDefinition definition, TemplateContent content) {
		List<DataViolation> missing = new ArrayList<>();
		for (String clause : definition.requiredClauses()) {
			boolean present = content.blocks()
				.stream()
				.anyMatch((block) -> block.key().equals(clause) && block.kind().locked()
						&& block.content().values().stream().anyMatch((text) -> !text.isBlank())
						&& block.content().containsKey(Localized.DEFAULT));
			if (!present) {
				missing.add(new DataViolation("content.blocks",
						"must contain the legal clause '" + clause + "' as a locked block with default text"));
			}
		}
		return missing;
	}

	private void checkSmsLength(TemplateDefinition definition, TemplateVersion version) {
		if (!definition.channels().contains(Channel.SMS)) {
			return;
		}
		int max = this.properties.sms().maxSegments();
		for (String locale : version.content().sms().keySet()) {
			String text = this.previews.smsText(this.prepared.prepare(version), locale);
			SmsEncoding encoding = SmsEncoding.of(text);
			if (encoding.segments() > max) {
				throw new InvalidTemplateContentException("content.sms." + locale, "needs " + encoding.segments() + " "
						+ encoding.encoding() + " segments with the sample data; at most " + max + " allowed");
			}
		}
	}

	private Map<String, String> flatten(TemplateVersion version) {
		Map<String, String> flat = new TreeMap<>();
		TemplateContent content = version.content();
		content.title().forEach((locale, text) -> flat.put("title." + locale, text));
		content.subject().forEach((locale, text) -> flat.put("subject." + locale, text));
		content.sms().forEach((locale, text) -> flat.put("sms." + locale, text));
		flat.put("attachPdfToEmail", String.valueOf(content.attachPdfToEmail()));
		for (Block block : content.blocks()) {
			String path = "blocks." + block.key();
			flat.put(path + ".kind", String.valueOf(block.kind()));
			flat.put(path + ".slot", block.slot());
			block.content().forEach((locale, text) -> flat.put(path + "." + locale, text));
		}
		flat.put("dataSchema", this.json.readTree(version.dataSchema()).toString());
		return flat;
	}

	private void evictAfterCommit(String key) {
		evictAfterCommit(key, false);
	}

	private void evictAfterCommit(String key, boolean definitionChanged) {
		Runnable evict = () -> {
			if (definitionChanged) {
				this.prepared.evictTemplate(key);
			}
			else {
				this.prepared.evictPublished(key);
			}
		};
		if (TransactionSynchronizationManager.isSynchronizationActive()) {
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

				@Override
				public void afterCommit() {
					evict.run();
				}

			});
		}
		else {
			evict.run();
		}
	}

	private static Instant now() {
		return Instant.now().truncatedTo(ChronoUnit.MICROS);
	}

}
