package io.sfmcsuppression.suppressions;

import java.util.List;

/**
 * One page of suppressions, newest first. {@code nextCursor} continues after the last item with
 * the same filters; null on the last page.
 */
public record SuppressionPage(List<SuppressionView> items, String nextCursor) {
}
