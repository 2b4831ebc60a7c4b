package org.ccm.templates;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.ccm.core.Channel;
import org.ccm.core.Purpose;

/**
 * A template apart from its versions.
 *
 * @param layout the developer-owned layout its documents are composed in
 * @param requiredClauses keys of the legal blocks every published version must contain
 */
public record TemplateDefinition(String key, String name, Purpose purpose, Set<Channel> channels, String layout,
		List<String> requiredClauses, String createdBy, Instant createdAt) {

	public TemplateDefinition {
		channels = Set.copyOf(channels);
		requiredClauses = List.copyOf(requiredClauses);
	}

}
