package org.ccm.core;

import java.util.List;

import org.jspecify.annotations.Nullable;

public record TimelinePage(List<TimelineEntry> entries, @Nullable String nextCursor) {

}
