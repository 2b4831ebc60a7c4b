package org.ccm.templates;

import java.util.Set;

import org.ccm.core.Channel;
import org.ccm.core.Purpose;
import org.jspecify.annotations.Nullable;

/**
 * A published template as senders see it.
 *
 * @param topic the topic its messages are about, which customers may opt out of; null for
 * none
 */
public record TemplateSummary(String key, Purpose purpose, Set<Channel> channels, int publishedVersion,
		@Nullable String topic) {

	/**
	 * A template that names no topic.
	 */
	public TemplateSummary(String key, Purpose purpose, Set<Channel> channels, int publishedVersion) {
		this(key, purpose, channels, publishedVersion, null);
	}

}
