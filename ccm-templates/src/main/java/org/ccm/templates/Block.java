package org.ccm.templates;

import java.util.Map;

/**
 * A piece of a template placed into a slot of the layout. Its content is a logic-less
 * Mustache template of HTML per locale ({@code default}, {@code pl}, {@code pl-PL}),
 * rendered over plain data and sanitised before it reaches the layout.
 *
 * @param key unique within the version; for legal clauses the clause's name
 * @param slot where the layout places it ({@code intro}, {@code closing}, {@code legal},
 * {@code footer})
 */
public record Block(String key, BlockKind kind, String slot, Map<String, String> content) {

	public Block {
		content = (content != null) ? Map.copyOf(content) : Map.of();
	}

}
