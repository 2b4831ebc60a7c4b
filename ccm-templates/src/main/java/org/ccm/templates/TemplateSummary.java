package org.ccm.templates;

import java.util.Set;

import org.ccm.core.Channel;
import org.ccm.core.Purpose;

/**
 * A published template as senders see it.
 */
public record TemplateSummary(String key, Purpose purpose, Set<Channel> channels, int publishedVersion) {

}
