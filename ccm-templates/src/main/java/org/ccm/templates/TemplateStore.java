package org.ccm.templates;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.ccm.core.ConcurrentEditException;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.stereotype.Repository;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Templates, versions and their transitions in PostgreSQL, through JPA: staff edit them
 * through forms, and a change based on an outdated draft is refused rather than
 * overwriting someone else's.
 */
@Repository
class TemplateStore {

	private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
	};

	private final TemplateRepository templates;

	private final TemplateVersionRepository versions;

	private final TemplateTransitionRepository transitions;

	private final JsonMapper json;

	TemplateStore(TemplateRepository templates, TemplateVersionRepository versions,
			TemplateTransitionRepository transitions, JsonMapper json) {
		this.templates = templates;
		this.versions = versions;
		this.transitions = transitions;
		this.json = json;
	}

	Optional<TemplateDefinition> definition(String key) {
		return this.templates.findById(key).map(TemplateEntity::definition);
	}

	List<TemplateDefinition> definitions() {
		return this.templates.findAllByOrderByKey().stream().map(TemplateEntity::definition).toList();
	}

	List<String> publishedTopics() {
		return this.templates.publishedTopics();
	}

	Optional<TemplateVersion> published(String key) {
		return this.versions.findByTemplateKeyAndState(key, VersionState.PUBLISHED).map(this::version);
	}

	Optional<TemplateVersion> version(String key, int version) {
		return this.versions.findById(new TemplateVersionEntity.Key(key, version)).map(this::version);
	}

	List<TemplateVersion> versions(String key) {
		return this.versions.findByTemplateKeyOrderByNumber(key).stream().map(this::version).toList();
	}

	/**
	 * Sets the topic the template's messages are about, or none.
	 * @return whether the template exists
	 */
	boolean updateTopic(String key, @Nullable String topic) {
		Optional<TemplateEntity> template = this.templates.findById(key);
		template.ifPresent((entity) -> {
			entity.topic(topic);
			this.templates.saveAndFlush(entity);
		});
		return template.isPresent();
	}

	/**
	 * @throws DuplicateKeyException when a template with that key exists
	 */
	void insertDefinition(TemplateDefinition definition) {
		if (this.templates.existsById(definition.key())) {
			throw new DuplicateKeyException("template " + definition.key());
		}
		this.templates.saveAndFlush(new TemplateEntity(definition));
	}

	/**
	 * Inserts the next version of a template as a draft; the template row is locked so
	 * two authors never get the same number.
	 */
	int insertDraft(String key, String author, TemplateContent content, String dataSchema,
			Map<String, Object> sampleData, Instant now) {
		lockTemplate(key);
		int next = this.versions.lastNumber(key) + 1;
		this.versions.saveAndFlush(new TemplateVersionEntity(key, next, author, this.json.writeValueAsString(content),
				dataSchema, this.json.writeValueAsString(sampleData), now));
		return next;
	}

	/**
	 * Deletes a draft with its review history; false when the version is not a draft
	 * (anything that went further is retired, never deleted).
	 */
	boolean deleteDraft(String key, int version) {
		lockTemplate(key);
		TemplateVersionEntity draft = this.versions.findById(new TemplateVersionEntity.Key(key, version)).orElse(null);
		if (draft == null || draft.state() != VersionState.DRAFT) {
			return false;
		}
		this.transitions.deleteAll(this.transitions.findByTemplateKeyAndNumberOrderByOccurredAtAscIdAsc(key, version));
		this.transitions.flush();
		this.versions.delete(draft);
		this.versions.flush();
		return true;
	}

	/**
	 * Changes a draft; false when the version is no longer a draft.
	 * @param revision the draft's revision the change is based on; null to change
	 * whatever revision is stored
	 * @throws ConcurrentEditException when the draft was changed since that revision
	 */
	boolean updateDraft(String key, int version, TemplateContent content, String dataSchema,
			Map<String, Object> sampleData, Instant now, @Nullable Long revision) {
		TemplateVersionEntity draft = this.versions.findById(new TemplateVersionEntity.Key(key, version)).orElse(null);
		if (draft == null || draft.state() != VersionState.DRAFT) {
			return false;
		}
		String what = "version " + version + " of template '" + key + "'";
		ConcurrentEditException.check(what, "revision", revision, draft.revision());
		draft.change(this.json.writeValueAsString(content), dataSchema, this.json.writeValueAsString(sampleData), now);
		try {
			this.versions.saveAndFlush(draft);
		}
		catch (OptimisticLockingFailureException ex) {
			throw ConcurrentEditException.simultaneous(what, "revision");
		}
		return true;
	}

	/**
	 * Moves a version from one state to another and records who did it; false when the
	 * version was not in the expected state any more.
	 */
	boolean transition(String key, int version, VersionState from, VersionState to, String actor, String comment,
			Instant now) {
		TemplateVersionEntity current = this.versions.findById(new TemplateVersionEntity.Key(key, version))
			.orElse(null);
		if (current == null || current.state() != from) {
			return false;
		}
		current.move(to, now);
		try {
			this.versions.saveAndFlush(current);
		}
		catch (OptimisticLockingFailureException ex) {
			// someone else moved it first
			return false;
		}
		recordTransition(key, version, from, to, actor, comment, now);
		return true;
	}

	void recordTransition(String key, int version, @Nullable VersionState from, VersionState to, String actor,
			@Nullable String comment, Instant now) {
		this.transitions.save(new TemplateTransitionEntity(key, version, from, to, actor, comment, now));
	}

	void lockTemplate(String key) {
		this.templates.lock(key).orElseThrow(() -> new UnknownTemplateException(key));
	}

	List<VersionTransition> transitions(String key, int version) {
		return this.transitions.findByTemplateKeyAndNumberOrderByOccurredAtAscIdAsc(key, version)
			.stream()
			.map(TemplateTransitionEntity::transition)
			.toList();
	}

	private TemplateVersion version(TemplateVersionEntity entity) {
		return new TemplateVersion(entity.templateKey(), entity.number(), entity.state(), entity.author(),
				this.json.readValue(entity.content(), TemplateContent.class), entity.dataSchema(),
				this.json.readValue(entity.sampleData(), MAP), entity.createdAt(), entity.updatedAt(),
				entity.revision());
	}

}
