package org.ccm.templates;

/**
 * Where a template version is in its review. Only drafts may change.
 */
public enum VersionState {

	DRAFT, IN_REVIEW, APPROVED, PUBLISHED, RETIRED

}
