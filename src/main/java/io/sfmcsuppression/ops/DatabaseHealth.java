package io.sfmcsuppression.ops;

import java.time.Instant;
import java.util.List;

/** The database as the status page shows it; {@code warnings} is empty when all is well. */
public record DatabaseHealth(String product, Instant checkedAt, List<String> warnings) {
}
