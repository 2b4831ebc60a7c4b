package org.ccm.templates;

import java.util.Map;

import org.ccm.core.Channel;
import org.ccm.core.CustomerProfile;
import org.jspecify.annotations.Nullable;

/**
 * A request to compose one document for one customer on one channel.
 *
 * @param version a specific template version (previews of drafts), or null for the
 * published one
 * @param data the send's data, already validated against the template's schema
 */
public record Composition(String templateKey, @Nullable Integer version, Channel channel, CustomerProfile customer,
		Map<String, Object> data) {

}
