package io.sfmcsuppression.consent;

import java.time.Duration;
import java.time.LocalDate;
import java.time.Period;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** Consent resolver, unsubscribe and CAN-SPAM settings (DESIGN section 7). */
@ConfigMapping(prefix = "consent")
public interface ConsentConfig {

    /** Campaigns attempted with zero sends from which a global opt-out is suspected (CONSENT_GLOBAL_OPT_OUT_THRESHOLD). */
    @WithDefault("3")
    int globalOptOutThreshold();

    /** How long audit log rows are kept before the purge job deletes them (CONSENT_AUDIT_RETENTION). */
    @WithDefault("P90D")
    Period auditRetention();

    /** How often the audit purge runs; {@code off} disables it (CONSENT_AUDIT_PURGE_EVERY). */
    @WithDefault("1h")
    String auditPurgeEvery();

    /** CAN-SPAM processing window for an opt-out, in business days Monday to Friday (CONSENT_PROCESSING_WINDOW_BUSINESS_DAYS). */
    @WithDefault("10")
    int processingWindowBusinessDays();

    /** Dates that are not business days, ISO yyyy-MM-dd, comma-separated (CONSENT_HOLIDAYS). */
    Optional<List<LocalDate>> holidays();

    /** Where send tracking for the global opt-out inference comes from. */
    Tracking tracking();

    /**
     * External key of the data extension that receives suspected global opt-outs through the
     * suppression outbox (CONSENT_GLOBAL_SUPPRESSION_DE_KEY); none routes nothing.
     */
    Optional<String> globalSuppressionDeKey();

    /**
     * Named send classifications (the seed's three are configured in application.properties):
     * {@code consent.classifications."NAME".*}.
     */
    Map<String, Classification> classifications();

    /** Which subscriber key formats are accepted (pitfall 7). */
    SubscriberKey subscriberKey();

    /** SOAP transport settings. */
    Soap soap();

    /** Retries of unsubscribes SFMC could not confirm at once. */
    Unsubscribe unsubscribe();

    /** Tracking source settings. */
    interface Tracking {

        /** {@code sent-events} (SOAP SentEvent/NotSentEvent) or {@code data-extension} (CONSENT_TRACKING_SOURCE). */
        @WithDefault("sent-events")
        String source();

        /** How far back send tracking is read (CONSENT_TRACKING_LOOKBACK). */
        @WithDefault("P180D")
        Period lookback();

        /**
         * External key of the tracking summary data extension with columns SubscriberKey,
         * SentCount, CampaignsAttempted (CONSENT_TRACKING_DE_KEY); required for {@code data-extension}.
         */
        Optional<String> deKey();
    }

    /** One send classification, as in the seed's configuration template. */
    interface Classification {

        /** The classification's id in SFMC (e.g. {@code cl_7f3a9b2c}). */
        String id();

        /** Display name. */
        @WithName("name")
        Optional<String> displayName();

        /** Whether sends of this classification are transactional (bypass an account-level unsubscribe). */
        @WithDefault("false")
        boolean transactional();

        /** Publication list of sends of this classification: numeric ID or CustomerKey. */
        Optional<String> defaultPublicationListId();

        /** {@code HONOR_ACCOUNT_AND_PUBLICATION} or {@code BYPASS_ACCOUNT_UNSUBSCRIBE}; informational. */
        @WithDefault("HONOR_ACCOUNT_AND_PUBLICATION")
        String suppressionBehavior();
    }

    /** Subscriber key formats. */
    interface SubscriberKey {

        /**
         * Accepted formats, any of {@code email}, {@code sha256} (hex SHA-256 of an email),
         * {@code uuid}, {@code pattern} (CONSENT_SUBSCRIBER_KEY_FORMATS).
         */
        @WithDefault("email,sha256,uuid")
        List<String> formats();

        /** Regular expression for the {@code pattern} format, e.g. {@code CUST-[0-9]{8}} (CONSENT_SUBSCRIBER_KEY_PATTERN). */
        Optional<String> pattern();
    }

    /** SOAP transport settings. */
    interface Soap {

        /** Time-out of one SOAP call (CONSENT_SOAP_TIMEOUT). */
        @WithDefault("PT30S")
        Duration timeout();

        /** Values per {@code IN} filter of a bulk retrieve; SFMC pages at 2 500 (CONSENT_SOAP_IN_FILTER_SIZE). */
        @WithDefault("2500")
        int inFilterSize();
    }

    /** Retries of unconfirmed unsubscribes. */
    interface Unsubscribe {

        /** How often pending unsubscribes are retried; {@code off} disables it (CONSENT_UNSUBSCRIBE_RETRY_EVERY). */
        @WithDefault("1m")
        String retryEvery();

        /** First delay before a pending unsubscribe is retried; doubled per attempt up to an hour (CONSENT_UNSUBSCRIBE_RETRY_BACKOFF). */
        @WithDefault("PT1M")
        Duration retryBackoff();
    }
}
