package io.sfmcsuppression.suppression;

/** Why a suppression was not sent (DESIGN rule 2). */
public enum SkipReason {
    /** The determination named no account. */
    NO_ACCOUNT,
    /** SFMC_SUPPRESSION_LIST_MAPPING has no data extension for the account. */
    NO_MAPPING,
    /** The effective client is the mock (dry-run, read-only, or live without credentials). */
    MOCK_CLIENT;

    /**
     * Why a determination with this account went to no data extension at intake: no account, or
     * one the mapping does not name. Its stored target ('') says it was one of the two; the account
     * tells which, whatever the mapping says today.
     */
    public static SkipReason unrouted(String accountName) {
        return accountName == null || accountName.isBlank() ? NO_ACCOUNT : NO_MAPPING;
    }
}
