package org.ccm.templates;

import java.util.List;
import java.util.Set;

import org.ccm.core.Channel;
import org.ccm.core.Purpose;
import org.jspecify.annotations.Nullable;

/**
 * A template to create; its first version is written as a draft afterwards.
 *
 * @param layout a developer-owned layout shipped with the application
 * @param requiredClauses keys of the legal blocks every published version must contain
 * @param topic for a marketing template, the topic its messages are about (one of
 * {@code ccm.core.topics}); may be left out
 */
public record NewTemplate(String key, String name, Purpose purpose, Set<Channel> channels, String layout,
		List<String> requiredClauses, @Nullable String topic) {

	/**
	 * A template that names no topic.
	 */
	public NewTemplate(String key, String name, Purpose purpose, Set<Channel> channels, String layout,
			List<String> requiredClauses) {
		this(key, name, purpose, channels, layout, requiredClauses, null);
	}

}
