package io.sfmcsuppression.suppression;

import java.util.Arrays;

/** How far the service may reach outside its own database (DESIGN rules 3 and 6). */
public enum SuppressionMode {
    /** Real SFMC writes and mail; falls back to the mock client when credentials are missing. */
    LIVE("live"),
    /** Writes nothing outside the service's own database and run directory. */
    READ_ONLY("read-only"),
    /** Writes the ledger and deliverables, sends nothing, records what it would have sent. */
    DRY_RUN("dry-run");

    private final String value;

    SuppressionMode(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    /** Accepts the documented spellings ({@code dry-run}) and enum-like ones ({@code DRY_RUN}). */
    public static SuppressionMode parse(String text) {
        String wanted = text.trim().toLowerCase().replace('_', '-');
        return Arrays.stream(values()).filter(m -> m.value.equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "SUPPRESSION_MODE must be live, read-only or dry-run, not '" + text + "'"));
    }

    @Override
    public String toString() {
        return value;
    }
}
