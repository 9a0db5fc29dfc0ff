package io.sfmcsuppression.console;

import java.util.Locale;

/**
 * What an operator action did, shown on the page it returns to. The redirect after the action
 * names it by a code and a count only ({@code ?done=requeued&rows=3}), so no text of the URL ever
 * reaches the page: a crafted link cannot make the console say something it did not do.
 */
final class ConsoleNotice {

    private ConsoleNotice() {
    }

    /** The sentence for a code; null for none or one this console does not hand out. */
    static String of(String done, int rows) {
        if (done == null) {
            return null;
        }
        return switch (done.toLowerCase(Locale.ROOT)) {
            case "requeued" -> rows + " FAILED row(s) re-queued; the flusher sends them now.";
            case "resent" -> "The N04 mail was sent again (or withheld, as the mode says: see its state below).";
            case "reexported" -> "The run's files were written again from the ledger as it is now.";
            case "paused" -> "The flusher is paused: no replica sends suppressions to SFMC until it is resumed.";
            case "resumed" -> "The flusher is running again.";
            case "released" -> rows + " row(s) released; a later INACTIVE of the address suppresses it again.";
            default -> null;
        };
    }
}
