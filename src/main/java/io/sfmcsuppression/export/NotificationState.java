package io.sfmcsuppression.export;

/** Where a run's N04 mail stands. */
enum NotificationState {
    /** The run's files are not written yet. */
    NOT_EXPORTED,
    /** Files written in live mode; the mail is due. */
    PENDING,
    /** An attempt failed (SMTP or configuration); the next one is scheduled. */
    RETRYING,
    /** SMTP accepted the mail (terminal). */
    SENT,
    /** dry-run or read-only: not sent, what would have been sent is recorded (terminal). */
    WITHHELD,
    /** The run has no N04 rows (terminal). */
    NOT_NEEDED
}
