package io.sfmcsuppression.consent;

import java.time.Duration;
import java.time.Period;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/**
 * Pre-send validation settings (DESIGN section 7): the resolver, classifications, subscriber keys,
 * the quota guard and the audit log. The opt-outs' keys under the same prefix are in
 * {@code io.sfmcsuppression.optout.OptOutConfig}.
 */
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

    /**
     * The suppression lists (data extension keys) that sends of a business unit use, by MID
     * ({@code consent.suppression-lists."510000123"=ASL_ACME,ASL_GLOBEX}). A send naming a MID that is
     * not listed, or naming none, is checked against every list of {@code sfmc.suppression-list-mapping}.
     */
    Map<String, List<String>> suppressionLists();

    /** Which subscriber key formats are accepted (pitfall 7). */
    SubscriberKey subscriberKey();

    /** The guard of SFMC's API quota around {@code POST /api/v1/consent/validate}. */
    Validation validation();

    /**
     * Limits of one validation request. One request of 10 000 keys costs about 17 SOAP calls
     * (4 per check and 2 500 keys, plus the list lookup) and a few continued pages; the defaults
     * leave room for that and refuse what would run away.
     */
    interface Validation {

        /**
         * Validations that may run at once in this replica; one more is answered 503 with
         * Retry-After (CONSENT_VALIDATION_MAX_CONCURRENT). Applied through SmallRye Fault
         * Tolerance's bulkhead on {@code ConsentService/validate}.
         */
        @WithDefault("4")
        int maxConcurrent();

        /** SFMC requests one validation may send, retries and continued pages included (CONSENT_VALIDATION_MAX_SFMC_CALLS). */
        @WithDefault("100")
        int maxSfmcCalls();

        /** {@code MoreDataAvailable} pages one validation may continue, over all its retrieves (CONSENT_VALIDATION_MAX_PAGES). */
        @WithDefault("50")
        int maxPages();

        /** After this, a validation sends no more SFMC requests and is answered 429 (CONSENT_VALIDATION_DEADLINE). */
        @WithDefault("PT60S")
        Duration deadline();

        /**
         * The Retry-After of a refused validation, unless SFMC itself asked to wait longer
         * (CONSENT_VALIDATION_RETRY_AFTER).
         */
        @WithDefault("PT10S")
        Duration retryAfter();
    }

    /** Tracking source settings. */
    interface Tracking {

        /** {@code sent-events} (SOAP SentEvent/NotSentEvent) or {@code data-extension} (CONSENT_TRACKING_SOURCE). */
        @WithDefault("sent-events")
        String source();

        /**
         * How far back send tracking is read (CONSENT_TRACKING_LOOKBACK). The default is what SFMC
         * keeps reachable through its APIs: send and engagement data for 730 days (Data Retention
         * Limits and Guidelines, from 2025-06-16). A shorter window lets a recent global opt-out show
         * sooner, because sends before it no longer count.
         */
        @WithDefault("P730D")
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

        /**
         * SFMC's send classification flag {@code HonorPublicationListOptOutsForTransactionalSends}:
         * a transactional send of this classification skips subscribers unsubscribed from its
         * publication list only when it is on. Off by default, as in SFMC.
         */
        @WithDefault("false")
        boolean honorPublicationListOptOutsForTransactionalSends();

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
}
