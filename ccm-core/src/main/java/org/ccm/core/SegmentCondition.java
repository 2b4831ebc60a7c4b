package org.ccm.core;

import java.util.Map;

/**
 * A segment rule compiled to a SQL condition over {@code customer c}, with its bind
 * values.
 */
record SegmentCondition(String sql, Map<String, Object> params) {

}
