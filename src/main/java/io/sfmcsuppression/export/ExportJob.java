package io.sfmcsuppression.export;

import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.sfmcsuppression.run.RunCompleted;
import io.sfmcsuppression.run.RunRepository;
import io.sfmcsuppression.run.RunState;

/**
 * Drives runs from COMPLETED to their terminal state: on its timer, and right after a run is
 * completed. Every step claims its run in the database, so any number of replicas and triggers
 * may run it at once, and a restart simply carries on from the state the database holds.
 */
@ApplicationScoped
public class ExportJob {

    private static final int BATCH = 100;

    private final RunRepository runs;
    private final ExportRepository exports;
    private final RunExporter exporter;
    private final MarketingNotifier notifier;
    private final Clock clock;
    private final ExecutorService triggered = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "export-on-complete");
        thread.setDaemon(true);
        return thread;
    });

    ExportJob(RunRepository runs, ExportRepository exports, RunExporter exporter, MarketingNotifier notifier, Clock clock) {
        this.runs = runs;
        this.exports = exports;
        this.exporter = exporter;
        this.notifier = notifier;
        this.clock = clock;
    }

    /** The timer: every completed run and every due mail. */
    @Scheduled(identity = "export-job", every = "${export.every}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void onTimer() {
        runOnce();
    }

    /** Right after a run completes (its transaction has committed), off the caller's thread. */
    void onRunCompleted(@Observes RunCompleted completed) {
        triggered.execute(() -> {
            try {
                process(completed.runId());
            } catch (RuntimeException e) {
                Log.errorf(e, "Export of run %s failed; the timer tries again", completed.runId());
            }
        });
    }

    /** One pass over every run that has work to do. */
    public void runOnce() {
        for (String runId : runs.idsInState(RunState.COMPLETED, BATCH)) {
            guarded(runId, () -> exporter.export(runId));
        }
        for (String runId : exports.dueNotifications(clock.instant(), BATCH)) {
            guarded(runId, () -> notifier.notify(runId));
        }
    }

    /** Exports one run and sends its mail, as far as each is due. */
    public void process(String runId) {
        if (exporter.export(runId) == RunExporter.Outcome.EXPORTED) {
            notifier.notify(runId);
        }
    }

    private static void guarded(String runId, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            Log.errorf(e, "Export step for run %s failed; it is tried again on the next pass", runId);
        }
    }

    @PreDestroy
    void stop() {
        triggered.shutdownNow();
    }
}
