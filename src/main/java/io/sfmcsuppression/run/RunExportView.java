package io.sfmcsuppression.run;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the export capability adds to a run's view: its files and its N04 mail. Implemented in
 * the {@code export} package, so that {@code run} does not depend on it.
 */
public interface RunExportView {

    /** One file written for the run. */
    record Deliverable(String name, long rows, String sha256) {
    }

    /**
     * The run's N04 mail.
     *
     * @param state         NOT_EXPORTED, PENDING, RETRYING, SENT, WITHHELD (dry-run / read-only) or NOT_NEEDED (no rows)
     * @param reason        why the mail is withheld or not needed
     * @param nextAttemptAt when a failed mail is tried again
     * @param to            recipients of the mail, or those it would have had
     * @param subject       subject of the mail, or the one it would have had
     */
    record Notification(String state, Instant sentAt, int attempts, String lastError, String reason,
                        Instant nextAttemptAt, List<String> to, List<String> cc, String subject) {
    }

    /** The files of the run's export, none before it. */
    List<Deliverable> deliverables(String runId);

    /** The run's mail, empty before the export started. */
    Optional<Notification> notification(String runId);
}
