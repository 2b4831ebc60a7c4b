package org.ccm.templates;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A marketing message placed in transactional documents.
 *
 * @param segment the segment whose members see it, or null for every customer
 * @param priority higher goes first when several offers fit a customer
 * @param maxImpressions how many documents may show it to one customer
 * @param templates keys of the templates it may appear in; empty for every template
 * @param content Mustache HTML per locale ({@code default}, {@code pl}, {@code pl-PL}),
 * rendered and sanitised like any marketer block
 */
record Offer(String key, String name, @Nullable String segment, int priority, int maxImpressions,
		List<String> templates, Map<String, String> content, boolean active) {

	public Offer {
		templates = (templates != null) ? List.copyOf(templates) : List.of();
		content = (content != null) ? Map.copyOf(content) : Map.of();
	}

}
