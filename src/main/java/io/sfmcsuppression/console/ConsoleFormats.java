package io.sfmcsuppression.console;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import io.quarkus.qute.TemplateExtension;

/** How the console's templates print values. */
@TemplateExtension
final class ConsoleFormats {

    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private ConsoleFormats() {
    }

    /** {@code {instant.display}}: to the second, in UTC, as the logs and the API's timestamps are. */
    static String display(Instant instant) {
        return instant == null ? "" : UTC.format(instant);
    }
}
