package io.sfmcsuppression.security;

/** The roles an API key can carry (DESIGN section 8). */
public final class Roles {

    /** Post determinations and complete runs. */
    public static final String INGEST = "ingest";
    /** Read runs, deliverables, email history and status. */
    public static final String READ = "read";
    /** Validate sends and record unsubscribes. */
    public static final String CONSENT = "consent";
    /**
     * Act on suppressions and runs as an operator: release, re-queue, resend, re-export, pause the
     * flusher, import. Each action is recorded with the key's name and the reason given.
     */
    public static final String OPERATE = "operate";

    private Roles() {
    }
}
