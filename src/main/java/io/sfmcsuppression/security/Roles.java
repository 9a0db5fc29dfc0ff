package io.sfmcsuppression.security;

/** The roles an API key can carry (DESIGN section 8). */
public final class Roles {

    /** Post determinations and complete runs. */
    public static final String INGEST = "ingest";
    /** Read runs, deliverables, email history and status. */
    public static final String READ = "read";
    /** Validate sends and record unsubscribes. */
    public static final String CONSENT = "consent";

    private Roles() {
    }
}
