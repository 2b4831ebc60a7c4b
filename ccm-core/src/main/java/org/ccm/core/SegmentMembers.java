package org.ccm.core;

import java.util.Map;

/**
 * A saved segment's members as a SQL query, for set-based statements of other modules (a
 * campaign freezes its recipients with one {@code INSERT … SELECT}, so a million members
 * never pass through the JVM). The query selects exactly these columns, in this order:
 * {@code customer_id uuid, external_id text, time_zone text, preferred_channel text,
 * unresponsive boolean} (the customer's first preferred channel for the purpose asked
 * for, or null; whether they engaged with none of their last N communications). Embed it
 * as a sub-query and bind {@link #params()} by name; the tables behind it are core's and
 * may change.
 */
public record SegmentMembers(String sql, Map<String, Object> params) {

}
