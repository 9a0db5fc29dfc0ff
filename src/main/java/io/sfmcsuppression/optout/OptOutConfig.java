package io.sfmcsuppression.optout;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Unsubscribe, one-click and CAN-SPAM settings (DESIGN section 7). The prefix is
 * {@code consent}, shared with {@code ConsentConfig}: the keys are part of the documented
 * configuration, and an opt-out is a consent matter to the operator who sets them.
 */
@ConfigMapping(prefix = "consent")
public interface OptOutConfig {

    /** CAN-SPAM processing window for an opt-out, in business days Monday to Friday (CONSENT_PROCESSING_WINDOW_BUSINESS_DAYS). */
    @WithDefault("10")
    int processingWindowBusinessDays();

    /**
     * The service's own processing target for an opt-out, in calendar time, shorter than CAN-SPAM's
     * window because mailbox providers expect unsubscribes honoured within about two days
     * (CONSENT_PROCESSING_TARGET).
     */
    @WithDefault("P2D")
    Duration processingTarget();

    /** Dates that are not business days, ISO yyyy-MM-dd, comma-separated (CONSENT_HOLIDAYS). */
    Optional<List<LocalDate>> holidays();

    /** Retries of unsubscribes SFMC could not confirm at once. */
    Unsubscribe unsubscribe();

    /** One-click unsubscribe links (RFC 8058). */
    OneClick oneClick();

    /** One-click unsubscribe links: where they point and how they are sealed. */
    interface OneClick {

        /**
         * Secret the link tokens are sealed with, at least 32 characters (CONSENT_ONE_CLICK_SECRET);
         * none disables minting, and every link then is refused. Changing it invalidates links already sent.
         */
        Optional<String> secret();

        /**
         * Public {@code https} address at which mail recipients reach this service's
         * {@code /unsubscribe/one-click} (CONSENT_ONE_CLICK_BASE_URL), e.g. {@code https://prefs.example.org}.
         */
        Optional<String> baseUrl();

        /** How long a minted link keeps working (CONSENT_ONE_CLICK_VALIDITY). */
        @WithDefault("P90D")
        Duration validity();
    }

    /** Retries of unconfirmed unsubscribes. */
    interface Unsubscribe {

        /** How often pending unsubscribes are retried; {@code off} disables it (CONSENT_UNSUBSCRIBE_RETRY_EVERY). */
        @WithDefault("1m")
        String retryEvery();

        /** First delay before a pending unsubscribe is retried; doubled per attempt (CONSENT_UNSUBSCRIBE_RETRY_BACKOFF). */
        @WithDefault("PT1M")
        Duration retryBackoff();

        /** Longest delay between two attempts of a pending unsubscribe (CONSENT_UNSUBSCRIBE_RETRY_BACKOFF_MAX). */
        @WithDefault("PT1H")
        Duration retryBackoffMax();
    }
}
