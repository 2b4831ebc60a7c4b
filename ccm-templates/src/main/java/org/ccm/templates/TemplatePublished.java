package org.ccm.templates;

import java.time.Instant;

/**
 * A template version was published and is now what senders get.
 */
record TemplatePublished(String templateKey, int version, String publishedBy, Instant publishedAt) {

}
