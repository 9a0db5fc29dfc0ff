package io.sfmcsuppression.export;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * What an operator may ask of a run's export, as the export package's public face: write its files
 * again, and send its N04 mail a second time. Auditing is the caller's.
 */
@ApplicationScoped
public class RunOperations {

    /** The files a re-export wrote. */
    public record Reexported(String runId, List<WrittenFile> deliverables) {
    }

    /** What a resend did: SENT, or WITHHELD with the reason (dry-run, read-only). */
    public record Resent(String runId, String outcome, String detail, int attempts) {
    }

    private final RunExporter exporter;
    private final MarketingNotifier notifier;

    RunOperations(RunExporter exporter, MarketingNotifier notifier) {
        this.exporter = exporter;
        this.notifier = notifier;
    }

    /**
     * Writes the files of an exported run again from the ledger as it is now (a release or a late
     * SFMC answer changes the internal file); the run's state and its mail are left as they are.
     */
    public Reexported reexport(String runId) {
        return new Reexported(runId, exporter.reexport(runId));
    }

    /** Sends the run's N04 mail once more, explicitly: counted apart from the first send (n04.mails outcome resent). */
    public Resent resendN04(String runId) {
        return notifier.resend(runId);
    }
}
