package io.sfmcsuppression.export;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The N04 mail to marketing. The addresses are required in {@code live} mode only, so a fresh
 * install in {@code dry-run} starts without them. SMTP itself is configured with the standard
 * {@code quarkus.mailer.*} keys.
 */
@ConfigMapping(prefix = "notification")
public interface NotificationConfig {

    /** The marketing mailbox the N04 mail goes to; several addresses may be comma-separated (NOTIFICATION_MARKETING_TO). */
    Optional<List<String>> marketingTo();

    /** The global CC list of every N04 mail, comma-separated (NOTIFICATION_CC). */
    Optional<List<String>> cc();

    /** The sender of the N04 mail (NOTIFICATION_FROM). */
    Optional<String> from();

    /** Wait before the first retry of a mail SMTP did not accept; doubles per attempt (NOTIFICATION_RETRY_INITIAL). */
    @WithDefault("PT1M")
    Duration retryInitial();

    /** Longest wait between two attempts of one mail (NOTIFICATION_RETRY_MAX). */
    @WithDefault("PT30M")
    Duration retryMax();
}
