package org.ccm.templates;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

import tools.jackson.databind.json.JsonMapper;

/**
 * Template versions ready to compose, kept in memory: composition runs on every delivery,
 * so the database is not asked each time. Submitted versions never change and are kept;
 * which version is published is re-read after a short time, so a publication on another
 * replica is seen within {@code ccm.templates.published-cache-ttl}.
 */
@Component
class PreparedTemplates {

	private record Published(@Nullable PreparedTemplate template, Instant expires) {
	}

	private final TemplateStore store;

	private final JsonMapper json;

	private final TemplatesProperties properties;

	private final Map<String, Published> published = new ConcurrentHashMap<>();

	private final Map<String, PreparedTemplate> versions = new ConcurrentHashMap<>();

	PreparedTemplates(TemplateStore store, JsonMapper json, TemplatesProperties properties) {
		this.store = store;
		this.json = json;
		this.properties = properties;
	}

	Optional<PreparedTemplate> published(String key) {
		Instant now = Instant.now();
		Published cached = this.published.get(key);
		if (cached == null || cached.expires().isBefore(now)) {
			PreparedTemplate template = this.store.published(key).map(this::prepare).orElse(null);
			cached = new Published(template, now.plus(this.properties.publishedCacheTtl()));
			this.published.put(key, cached);
		}
		return Optional.ofNullable(cached.template());
	}

	Optional<PreparedTemplate> version(String key, int version) {
		PreparedTemplate cached = this.versions.get(key + "\u0000" + version);
		if (cached != null) {
			return Optional.of(cached);
		}
		Optional<PreparedTemplate> loaded = this.store.version(key, version).map(this::prepare);
		// drafts still change
		loaded.filter((template) -> template.version().state() != VersionState.DRAFT)
			.ifPresent((template) -> this.versions.put(key + "\u0000" + version, template));
		return loaded;
	}

	/**
	 * Forgets what this replica knows as published, after it published or retired a
	 * version itself.
	 */
	void evictPublished(String key) {
		this.published.remove(key);
	}

	/**
	 * Forgets everything this replica knows of the template, after its definition changed
	 * (its topic).
	 */
	void evictTemplate(String key) {
		this.published.remove(key);
		this.versions.keySet().removeIf((cached) -> cached.startsWith(key + "\u0000"));
	}

	PreparedTemplate prepare(TemplateVersion version) {
		TemplateDefinition definition = this.store.definition(version.templateKey())
			.orElseThrow(() -> new UnknownTemplateException(version.templateKey()));
		return new PreparedTemplate(definition, version, this.json.readTree(version.dataSchema()));
	}

}
