package io.sfmcsuppression.sfmc;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Salesforce Marketing Cloud settings, under the seed's names: {@code sfmc.client-id} is
 * {@code SFMC_CLIENT_ID} in the environment, {@code sfmc.upsert-batch-size} is
 * {@code SFMC_UPSERT_BATCH_SIZE}, and so on.
 */
@ConfigMapping(prefix = "sfmc")
public interface SfmcConfig {

    /**
     * JSON object mapping an AccountName (the inbox source) to the external key of that account's
     * Auto-Suppression List data extension (SFMC_SUPPRESSION_LIST_MAPPING).
     */
    @WithDefault("{}")
    String suppressionListMapping();

    /** Client id of the server-to-server installed package (SFMC_CLIENT_ID). */
    Optional<String> clientId();

    /** Client secret of the installed package (SFMC_CLIENT_SECRET); never logged or shown. */
    Optional<String> clientSecret();

    /** Authentication base URI, e.g. https://SUBDOMAIN.auth.marketingcloudapis.com; /v2/token is appended (SFMC_AUTH_BASE_URI). */
    Optional<String> authBaseUri();

    /** REST base URI (SFMC_REST_BASE_URI); when absent, the token response's rest_instance_url. */
    Optional<String> restBaseUri();

    /** SOAP base URI (SFMC_SOAP_BASE_URI); when absent, the token response's soap_instance_url. */
    Optional<String> soapBaseUri();

    /** MID of the business unit, sent as account_id with the token request (SFMC_ACCOUNT_ID). */
    Optional<String> accountId();

    /** How suppressions are written to SFMC. */
    enum SuppressionWrite {
        /** REST {@code POST /hub/v1/dataevents/key:{key}/rowset} (the design card's upsert). */
        REST_ROWSET,
        /** SOAP {@code UpdateRequest} of {@code DataExtensionObject}s with {@code SaveAction UpdateAdd}. */
        SOAP
    }

    /**
     * {@code rest-rowset} or {@code soap} (SFMC_SUPPRESSION_WRITE): SOAP is the route Salesforce
     * documents for Auto-Suppression Lists; see docs/sfmc.md for when to choose which.
     */
    @WithDefault("rest-rowset")
    SuppressionWrite suppressionWrite();

    /** Rows per rowset upsert request; SFMC advises at most 50 (SFMC_UPSERT_BATCH_SIZE). */
    @WithDefault("50")
    int upsertBatchSize();

    /** Upsert requests in flight at once (SFMC_UPSERT_IN_FLIGHT). */
    @WithDefault("4")
    int upsertInFlight();

    /** Primary-key column of the Auto-Suppression List that holds the address (SFMC_EMAIL_FIELD). */
    @WithDefault("Email Address")
    String emailField();

    /** Column that receives the run date (SFMC_DATE_FIELD). */
    @WithDefault("Date Added")
    String dateField();

    /**
     * A token is renewed this long before SFMC says it expires (SFMC_TOKEN_REFRESH_SKEW); SFMC's
     * expires_in already keeps a two-minute margin, so a token serves about 17 of its 20 minutes.
     */
    @WithDefault("PT60S")
    Duration tokenRefreshSkew();

    /** Read timeout of one SFMC request: token, REST or SOAP (SFMC_REQUEST_TIMEOUT). */
    @WithDefault("PT20S")
    Duration requestTimeout();

    /** Connect timeout of one SFMC request: token, REST or SOAP (SFMC_CONNECT_TIMEOUT). */
    @WithDefault("PT5S")
    Duration connectTimeout();

    /**
     * Name of a Quarkus TLS configuration ({@code quarkus.tls."name".*}) for every SFMC connection
     * (SFMC_TLS_CONFIGURATION_NAME); none uses the JVM's trust store with host name verification.
     */
    Optional<String> tlsConfigurationName();

    /**
     * Hosts other than Salesforce's that may receive the client secret and tokens, over http or
     * https, comma-separated (SFMC_ALLOWED_TEST_HOSTS). Only for test stand-ins such as WireMock on
     * 127.0.0.1: without it every SFMC URL must be https on a host ending in
     * .marketingcloudapis.com (SOAP also .exacttarget.com), and any other URL is refused unsent.
     */
    Optional<java.util.List<String>> allowedTestHosts();

    /** Values per IN filter of a bulk SOAP Retrieve; SFMC pages at 2 500 (SFMC_SOAP_IN_FILTER_SIZE). */
    @WithDefault("2500")
    int soapInFilterSize();

    /**
     * How long a publication-list CustomerKey that SFMC does not know is remembered as unknown, so
     * that repeated validations naming it do not each retrieve it again (SFMC_UNKNOWN_LIST_CACHE_FOR).
     */
    @WithDefault("PT10M")
    Duration unknownListCacheFor();

    /**
     * Pause of all SFMC calls, REST and SOAP, after a SOAP "Rate Limited" fault, which names no
     * wait of its own (SFMC_SOAP_RATE_LIMITED_WAIT).
     */
    @WithDefault("PT5S")
    Duration soapRateLimitedWait();

    /**
     * Longest a synchronous call (consent) waits in the call for a throttle pause to pass before it
     * answers "try later" instead (SFMC_MAX_IN_CALL_WAIT).
     */
    @WithDefault("PT10S")
    Duration maxInCallWait();

    /** Attempts a row gets against SFMC errors before it is FAILED with SFMC's message (SFMC_MAX_ATTEMPTS). */
    @WithDefault("5")
    int maxAttempts();

    /** First wait before a row that met an SFMC error is tried again; doubles per attempt (SFMC_RETRY_BACKOFF). */
    @WithDefault("PT30S")
    Duration retryBackoff();

    /** Longest wait before a row that met an SFMC error is tried again (SFMC_RETRY_BACKOFF_MAX). */
    @WithDefault("PT1H")
    Duration retryBackoffMax();

    /** Pause of all upserts after a 429 without Retry-After, or with errorcode 50200 "blocked" (SFMC_BLOCKED_BACKOFF). */
    @WithDefault("PT5M")
    Duration blockedBackoff();

    /** First wait before the health of an unreachable SFMC is checked again; doubles up to the maximum (SFMC_HEALTH_BACKOFF). */
    @WithDefault("PT2S")
    Duration healthBackoff();

    /** Longest wait between health checks of an unreachable SFMC (SFMC_HEALTH_BACKOFF_MAX). */
    @WithDefault("PT5M")
    Duration healthBackoffMax();

    /** How often the suppression flusher looks for rows due (SFMC_FLUSH_INTERVAL). */
    @WithDefault("2s")
    String flushInterval();

    /**
     * How long a claimed row is reserved for one replica before another may take it, renewed every
     * quarter of it while the work is in flight (SFMC_CLAIM_LEASE).
     */
    @WithDefault("PT20S")
    Duration claimLease();

    /**
     * Whether rows SFMC answered 200 for are read back from the data extension (one filtered read
     * per 50 rows) and recorded VERIFIED; a row missing is sent once more, then FAILED
     * (SFMC_VERIFY_WRITES). Only the live client writes, so only live mode reads back.
     */
    @WithDefault("true")
    boolean verifyWrites();

    /** Whether client id, client secret and authentication base URI are all set. */
    default boolean hasCredentials() {
        return missingCredentials().isEmpty();
    }

    /** Names of the credential settings that are not set, in their environment form. */
    default java.util.List<String> missingCredentials() {
        java.util.List<String> missing = new java.util.ArrayList<>();
        if (clientId().filter(s -> !s.isBlank()).isEmpty()) {
            missing.add("SFMC_CLIENT_ID");
        }
        if (clientSecret().filter(s -> !s.isBlank()).isEmpty()) {
            missing.add("SFMC_CLIENT_SECRET");
        }
        if (authBaseUri().filter(s -> !s.isBlank()).isEmpty()) {
            missing.add("SFMC_AUTH_BASE_URI");
        }
        return missing;
    }
}
