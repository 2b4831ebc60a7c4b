package org.ccm.templates;

/**
 * Who may change a block. The layout around the blocks is developer-owned and never
 * edited here.
 */
public enum BlockKind {

	/** Corporate identity: only the brand role may change it. */
	BRAND,
	/** A legally required clause: only the brand role may change it. */
	LEGAL,
	/** Authored by marketers. */
	EDITABLE;

	public boolean locked() {
		return this != EDITABLE;
	}

}
