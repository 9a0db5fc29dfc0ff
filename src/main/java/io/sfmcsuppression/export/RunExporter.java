package io.sfmcsuppression.export;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.instrumentation.annotations.SpanAttribute;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.sfmcsuppression.run.InactivePeople;
import io.sfmcsuppression.run.Run;
import io.sfmcsuppression.web.ProblemException;
import io.sfmcsuppression.run.RunRepository;
import io.sfmcsuppression.run.RunState;
import io.sfmcsuppression.suppression.SuppressionConfig;
import io.sfmcsuppression.suppression.SuppressionMode;
import io.sfmcsuppression.suppression.OutboxReports;

/**
 * The export step: turns a COMPLETED run into its files and moves it to EXPORTED (mail due or
 * withheld) or NOTHING_TO_SEND. Files, their records and the state change are one unit: the files
 * are renamed into place before the transaction commits, and a crash before the commit leaves the
 * run COMPLETED, so the next attempt writes the same files again.
 */
@ApplicationScoped
class RunExporter {

    /** What one call did. */
    enum Outcome { EXPORTED, NOTHING_TO_SEND, WAITING_FOR_SUPPRESSIONS, NOT_DUE, BUSY }

    private final RunRepository runs;
    private final ExportRepository exports;
    private final DeliverablesWriter writer;
    private final InactivePeople inactivePeople;
    private final OutboxReports outbox;
    private final SuppressionConfig suppression;
    private final NotificationConfig notification;
    private final ExportConfig config;
    private final Clock clock;
    private final MeterRegistry metrics;

    RunExporter(RunRepository runs, ExportRepository exports, DeliverablesWriter writer, InactivePeople inactivePeople,
                OutboxReports outbox, SuppressionConfig suppression, NotificationConfig notification, ExportConfig config,
                Clock clock, MeterRegistry metrics) {
        this.runs = runs;
        this.exports = exports;
        this.writer = writer;
        this.inactivePeople = inactivePeople;
        this.outbox = outbox;
        this.suppression = suppression;
        this.notification = notification;
        this.config = config;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** Exports the run if it is COMPLETED, its suppressions are settled (or waited for long enough) and nobody else is on it. */
    @WithSpan("export run")
    Outcome export(@SpanAttribute("run.id") String runId) {
        Optional<Run> found = runs.find(runId);
        if (found.isEmpty() || found.get().state() != RunState.COMPLETED) {
            return Outcome.NOT_DUE;
        }
        QuarkusTransaction.requiringNew().run(() -> exports.ensure(runId, clock.instant()));
        return QuarkusTransaction.requiringNew().timeout((int) Math.max(1, config.stepTimeout().toSeconds())).call(() -> {
            if (!exports.claim(runId)) {
                return Outcome.BUSY;
            }
            Run run = runs.find(runId).orElseThrow();
            if (run.state() != RunState.COMPLETED) {
                return Outcome.NOT_DUE;
            }
            Instant now = clock.instant();
            long pending = OutboxReports.unsettled(outbox.countsForRun(runId));
            if (pending > 0 && now.isBefore(run.completedAt().plus(config.maxWait()))) {
                Log.debugf("Run %s waits for %d pending suppression(s) until %s", runId, pending,
                        run.completedAt().plus(config.maxWait()));
                return Outcome.WAITING_FOR_SUPPRESSIONS;
            }
            return write(run, pending, now);
        });
    }

    /**
     * Writes the files of a run that was exported already (EXPORTED, NOTIFIED or NOTHING_TO_SEND)
     * again and records them; state and mail stay as they are.
     */
    List<WrittenFile> reexport(String runId) {
        Run run = runs.find(runId).orElseThrow(() -> ProblemException.notFound("No run " + runId));
        if (run.state() != RunState.EXPORTED && run.state() != RunState.NOTIFIED && run.state() != RunState.NOTHING_TO_SEND) {
            throw ProblemException.conflict("Run " + runId + " is " + run.state() + "; only an exported run can be re-exported");
        }
        return QuarkusTransaction.requiringNew().timeout((int) Math.max(1, config.stepTimeout().toSeconds())).call(() -> {
            if (!exports.claim(runId)) {
                throw ProblemException.conflict("Run " + runId + " is being exported or mailed right now; try again");
            }
            List<WrittenFile> files = writer.write(run);
            exports.replaceDeliverables(runId, files, clock.instant());
            metrics.counter("export.reexports").increment();
            Log.infof("Run %s re-exported: %d file(s)", runId, files.size());
            return files;
        });
    }

    private Outcome write(Run run, long pending, Instant now) {
        long started = System.nanoTime();
        List<WrittenFile> files = writer.write(run);
        exports.replaceDeliverables(run.runId(), files, now);
        files.forEach(f -> metrics.counter("export.rows", "kind", f.kind()).increment(f.rows()));
        long rows = inactivePeople.count(run.runId());
        String subject = N04Mail.subject(run.runDate(), rows);
        Recipients configured = Recipients.configured(notification);
        Outcome outcome;
        if (rows == 0) {
            exports.recordExport(run.runId(), pending, rows, NotificationState.NOT_NEEDED,
                    "the run has no inactive people, so there is nothing to send", null, null, now);
            runs.advance(run.runId(), RunState.COMPLETED, RunState.NOTHING_TO_SEND);
            outcome = Outcome.NOTHING_TO_SEND;
        } else if (suppression.mode() != SuppressionMode.LIVE) {
            exports.recordExport(run.runId(), pending, rows, NotificationState.WITHHELD, suppression.mode().value()
                    + ": no mail is sent in this mode; to, cc and subject show what would have been sent", configured, subject, now);
            runs.advance(run.runId(), RunState.COMPLETED, RunState.EXPORTED);
            outcome = Outcome.EXPORTED;
        } else {
            exports.recordExport(run.runId(), pending, rows, NotificationState.PENDING, null, configured, subject, now);
            runs.advance(run.runId(), RunState.COMPLETED, RunState.EXPORTED);
            outcome = Outcome.EXPORTED;
        }
        Log.infof("Run %s exported in %d ms: %d file(s), %d N04 row(s), %d suppression(s) still pending; %s", run.runId(),
                (System.nanoTime() - started) / 1_000_000, files.size(), rows, pending, outcome);
        return outcome;
    }
}
