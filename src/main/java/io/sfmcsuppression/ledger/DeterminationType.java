package io.sfmcsuppression.ledger;

/** The upstream classifier's verdicts about one address. */
public enum DeterminationType {
    /** The person is no longer there: the only verdict that leads to a suppression. */
    INACTIVE,
    ACTIVE,
    TITLE_UPDATE,
    OUT_OF_OFFICE,
    CHANGED_EMAIL
}
