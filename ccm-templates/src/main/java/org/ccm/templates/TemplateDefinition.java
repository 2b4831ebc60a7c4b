package org.ccm.templates;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.ccm.core.Channel;
import org.ccm.core.Purpose;
import org.jspecify.annotations.Nullable;

/**
 * A template apart from its versions.
 *
 * @param layout the developer-owned layout its documents are composed in
 * @param requiredClauses keys of the legal blocks every published version must contain
 * @param topic the topic its messages are about ({@code newsletter}), which customers may
 * opt out of unless it is mandatory; null for none
 */
public record TemplateDefinition(String key, String name, Purpose purpose, Set<Channel> channels, String layout,
		List<String> requiredClauses, String createdBy, Instant createdAt, @Nullable String topic) {

	public TemplateDefinition {
		channels = Set.copyOf(channels);
		requiredClauses = List.copyOf(requiredClauses);
	}

	/**
	 * A template that names no topic.
	 */
	public TemplateDefinition(String key, String name, Purpose purpose, Set<Channel> channels, String layout,
			List<String> requiredClauses, String createdBy, Instant createdAt) {
		this(key, name, purpose, channels, layout, requiredClauses, createdBy, createdAt, null);
	}

	/**
	 * The same template about another topic, or none.
	 */
	TemplateDefinition withTopic(@Nullable String topic) {
		return new TemplateDefinition(key, name, purpose, channels, layout, requiredClauses, createdBy, createdAt,
				topic);
	}

}
