package org.ccm.core;

import java.time.Instant;

/**
 * One entry of a customer's topic history: whether they opted out of the topic or back
 * in, where and by whom.
 */
public record TopicChoice(String topic, boolean optedOut, String source, String changedBy, Instant recordedAt) {

}
