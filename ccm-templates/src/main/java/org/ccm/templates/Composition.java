package org.ccm.templates;

import java.util.Map;
import java.util.UUID;

import org.ccm.core.Channel;
import org.ccm.core.CustomerProfile;
import org.jspecify.annotations.Nullable;

/**
 * A request to compose one document for one customer on one channel.
 *
 * @param version a specific template version (previews of drafts), or null for the
 * published one
 * @param data the send's data, already validated against the template's schema
 * @param reference what the document is composed for (a delivery): composed again for the
 * same reference, as when a send is retried, it shows the same offers without counting
 * them again
 */
public record Composition(String templateKey, @Nullable Integer version, Channel channel, CustomerProfile customer,
		Map<String, Object> data, @Nullable UUID reference) {

	public Composition(String templateKey, @Nullable Integer version, Channel channel, CustomerProfile customer,
			Map<String, Object> data) {
		this(templateKey, version, channel, customer, data, null);
	}

}
