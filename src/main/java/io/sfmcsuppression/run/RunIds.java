package io.sfmcsuppression.run;

import java.util.regex.Pattern;

import io.sfmcsuppression.web.ProblemException;

/** The shape of a run id: 1–64 of {@code [A-Za-z0-9._-]}, chosen by the caller. */
public final class RunIds {

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private RunIds() {
    }

    /** Returns the id, or answers 400 when it cannot be a run id. */
    public static String require(String runId) {
        if (runId == null || !VALID.matcher(runId).matches() || runId.equals(".") || runId.equals("..")) {
            throw ProblemException.badRequest("A run id is 1 to 64 characters of A-Z, a-z, 0-9, '.', '_' and '-'.");
        }
        return runId;
    }
}
