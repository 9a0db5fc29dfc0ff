package io.sfmcsuppression.run;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;

import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.sfmcsuppression.config.AppConfig;
import io.sfmcsuppression.ledger.Ledger;
import io.sfmcsuppression.ledger.RunContext;
import io.sfmcsuppression.suppression.OutboxReports;
import io.sfmcsuppression.web.ProblemException;

/** Opens, closes and describes runs. */
@ApplicationScoped
public class RunService {

    private final RunRepository runs;
    private final Ledger ledger;
    private final OutboxReports outbox;
    private final InactivePeople inactivePeople;
    private final Event<RunCompleted> completed;
    private final AppConfig app;
    private final Clock clock;
    private final RunExportView exports;

    RunService(RunRepository runs, Ledger ledger, OutboxReports outbox, InactivePeople inactivePeople,
               Event<RunCompleted> completed, AppConfig app, Clock clock, RunExportView exports) {
        this.runs = runs;
        this.ledger = ledger;
        this.outbox = outbox;
        this.inactivePeople = inactivePeople;
        this.completed = completed;
        this.app = app;
        this.clock = clock;
        this.exports = exports;
    }

    /**
     * Creates the run on its first batch and checks it still accepts batches. Runs inside the
     * batch's transaction. The run date is fixed by the first batch; another date later is a 409.
     */
    public RunContext openForBatch(String runId, Optional<LocalDate> requestedDate, Instant now) {
        runs.createIfAbsent(runId, requestedDate.orElseGet(() -> LocalDate.ofInstant(now, app.zone())), now);
        Run run = runs.find(runId).orElseThrow(() -> differsOnlyInCase(runId));
        if (run.state() != RunState.OPEN) {
            throw ProblemException.conflict("Run " + runId + " is " + run.state() + " and accepts no more determinations.");
        }
        if (requestedDate.isPresent() && !requestedDate.get().equals(run.runDate())) {
            throw ProblemException.conflict("Run " + runId + " has run date " + run.runDate()
                    + "; a batch cannot change it to " + requestedDate.get() + ".");
        }
        return new RunContext(runId, run.runDate(), now);
    }

    /** Two spellings of one id would be two folders that collide on a case-insensitive volume. */
    private ProblemException differsOnlyInCase(String runId) {
        String existing = runs.findIgnoringCase(runId).map(Run::runId).orElse("another run");
        return ProblemException.conflict("Run " + runId + " differs from the existing run " + existing
                + " only in case; use that run id (run ids are compared ignoring case).");
    }

    /** Notes the batch on the run, last in the batch's transaction; 409 if the run closed meanwhile. */
    public void recordBatch(RunContext run) {
        if (!runs.touchOpen(run.runId(), run.now())) {
            throw ProblemException.conflict("Run " + run.runId() + " was completed while this batch was stored; nothing was stored.");
        }
    }

    /** Completes an open run; completing a completed run again changes nothing. */
    public Run complete(String runId) {
        boolean changed = QuarkusTransaction.requiringNew().call(() -> {
            runs.find(runId).orElseThrow(() -> ProblemException.notFound("No run " + runId + "."));
            return runs.complete(runId, clock.instant());
        });
        if (changed) {
            Log.infof("Run %s completed", runId);
            completed.fire(new RunCompleted(runId));
        }
        return runs.find(runId).orElseThrow();
    }

    /** Completes every open run that has had no batch for the given time; returns their ids. */
    public List<String> completeIdle(Duration idleFor) {
        List<String> closed = new ArrayList<>();
        for (String runId : runs.idleSince(clock.instant().minus(idleFor))) {
            if (QuarkusTransaction.requiringNew().call(() -> runs.complete(runId, clock.instant()))) {
                Log.infof("Run %s completed after %s without a batch", runId, idleFor);
                closed.add(runId);
                completed.fire(new RunCompleted(runId));
            }
        }
        return closed;
    }

    public RunView view(String runId) {
        Run run = runs.find(runId).orElseThrow(() -> ProblemException.notFound("No run " + runId + "."));
        return new RunView(run.runId(), run.runDate(), run.state(), run.createdAt(), run.lastBatchAt(), run.completedAt(),
                ledger.countsForRun(runId), outbox.countsForRun(runId), inactivePeople.count(runId),
                ledger.conflictsForRun(runId), outbox.mockUpsertsForRun(runId).stream().map(RunView.MockUpsert::of).toList(), exports.deliverables(runId),
                exports.notification(runId).orElse(null));
    }

    public List<RunSummary> recent(Optional<RunState> state, int limit) {
        return runs.recent(state, limit).stream().map(RunSummary::of).toList();
    }

    public boolean exists(String runId) {
        return runs.find(runId).isPresent();
    }
}
