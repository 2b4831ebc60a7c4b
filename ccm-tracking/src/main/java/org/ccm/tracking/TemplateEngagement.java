package org.ccm.tracking;

/**
 * Engagement with the deliveries of one template.
 */
public record TemplateEngagement(String template, EngagementCounts counts) {

}
