package org.ccm.templates;

import java.util.List;
import java.util.Set;

import org.ccm.core.Channel;
import org.ccm.core.Purpose;

/**
 * A template to create; its first version is written as a draft afterwards.
 *
 * @param layout a developer-owned layout shipped with the application
 * @param requiredClauses keys of the legal blocks every published version must contain
 */
public record NewTemplate(String key, String name, Purpose purpose, Set<Channel> channels, String layout,
		List<String> requiredClauses) {

}
