package io.sfmcsuppression.suppression;

/** Why a suppression was not sent (DESIGN rule 2). */
public enum SkipReason {
    /** The determination named no account. */
    NO_ACCOUNT,
    /** SFMC_SUPPRESSION_LIST_MAPPING has no data extension for the account. */
    NO_MAPPING,
    /** The effective client is the mock (dry-run, read-only, or live without credentials). */
    MOCK_CLIENT
}
