package io.sfmcsuppression.intake;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.sfmcsuppression.engine.ActionEngine;
import io.sfmcsuppression.ledger.Determination;
import io.sfmcsuppression.ledger.DeterminationType;
import io.sfmcsuppression.ledger.Ledger;
import io.sfmcsuppression.ledger.RunContext;
import io.sfmcsuppression.run.RunService;
import io.sfmcsuppression.suppression.SuppressionOutbox;
import io.sfmcsuppression.web.Problem.ItemError;
import io.sfmcsuppression.web.ProblemException;

/**
 * Stores a batch atomically: the run, every new determination and what the handlers derive from
 * them commit together or not at all. The caller hears 202 only after the commit.
 */
@ApplicationScoped
public class IntakeService {

    /**
     * SQL states worth one more try: a unique key taken by a concurrent twin batch, a deadlock, a lock
     * wait that timed out, or H2's "concurrent update" on the run's row (LoadHeldIT saw it under load).
     */
    private static final Set<String> TRANSIENT_SQL_STATES = Set.of("23505", "40001", "40P01", "HYT00", "90131");
    private static final int ATTEMPTS = 3;

    private final BatchValidator validator;
    private final RunService runs;
    private final Ledger ledger;
    private final ActionEngine engine;
    private final SuppressionOutbox outbox;
    private final MeterRegistry metrics;
    private final Clock clock;

    IntakeService(BatchValidator validator, RunService runs, Ledger ledger, ActionEngine engine, SuppressionOutbox outbox,
                  MeterRegistry metrics, Clock clock) {
        this.outbox = outbox;
        this.validator = validator;
        this.runs = runs;
        this.ledger = ledger;
        this.engine = engine;
        this.metrics = metrics;
        this.clock = clock;
    }

    public IngestResult ingest(String runId, DeterminationBatch batch) {
        BatchValidator.ValidBatch valid = validator.validate(runId, batch);
        for (int attempt = 1; ; attempt++) {
            try {
                Outcome outcome = QuarkusTransaction.requiringNew().call(() -> store(runId, valid));
                count(outcome);
                return new IngestResult(runId, outcome.accepted().size(), outcome.duplicates().size());
            } catch (RuntimeException e) {
                if (attempt >= ATTEMPTS || !isTransient(e)) {
                    throw e;
                }
                Log.debugf("Batch for run %s met a concurrent writer (attempt %d); trying again", runId, attempt);
            }
        }
    }

    private record Outcome(List<Determination> accepted, List<Determination> duplicates) {
    }

    private Outcome store(String runId, BatchValidator.ValidBatch valid) {
        Instant now = clock.instant();
        RunContext run = runs.openForBatch(runId, valid.runDate(), now);
        List<ItemError> errors = new ArrayList<>();
        List<Determination> duplicates = new ArrayList<>();

        Map<String, Determination> unique = new LinkedHashMap<>();
        Map<String, Integer> indexOf = new HashMap<>();
        List<Determination> all = valid.determinations();
        for (int i = 0; i < all.size(); i++) {
            Determination d = all.get(i);
            Determination first = unique.putIfAbsent(d.id(), d);
            if (first == null) {
                indexOf.put(d.id(), i);
            } else if (first.contentHash().equals(d.contentHash())) {
                duplicates.add(d);
            } else {
                errors.add(new ItemError(i, d.id(), "id", "appears earlier in this batch (index " + indexOf.get(d.id())
                        + ") with different content"));
            }
        }

        // Insert first and read back only what the primary key turned away: a new batch reads
        // nothing, and a replay reads its ids by key (see Ledger.FIND), never the whole ledger. A
        // batch with errors is rolled back whole, so inserting before the last check stores nothing.
        List<Determination> candidates = List.copyOf(unique.values());
        List<Determination> inserted = ledger.insert(candidates, now,
                d -> d.type() == DeterminationType.INACTIVE ? outbox.targetOf(d) : null);
        if (inserted.size() < candidates.size()) {
            Set<String> insertedIds = inserted.stream().map(Determination::id).collect(Collectors.toSet());
            List<Determination> present = candidates.stream().filter(d -> !insertedIds.contains(d.id())).toList();
            Map<String, Ledger.Stored> stored = ledger.find(present.stream().map(Determination::id).toList());
            for (Determination d : present) {
                Ledger.Stored existing = stored.get(d.id());
                if (existing != null && existing.contentHash().equals(d.contentHash())) {
                    duplicates.add(d);
                } else {
                    errors.add(differentContent(indexOf.get(d.id()), d, existing));
                }
            }
        }
        failOnErrors(errors);

        engine.process(run, inserted);
        runs.recordBatch(run);
        return new Outcome(inserted, duplicates);
    }

    private static ItemError differentContent(int index, Determination d, Ledger.Stored existing) {
        String where = existing == null || existing.runId().equals(d.runId()) ? "" : " in run " + existing.runId();
        return new ItemError(index, d.id(), "id", "was already recorded" + where + " with different content");
    }

    private static void failOnErrors(List<ItemError> errors) {
        if (!errors.isEmpty()) {
            errors.sort(java.util.Comparator.comparingInt(ItemError::index));
            throw ProblemException.invalidItems(errors.size() + " problem(s) in the batch; nothing was stored.", errors);
        }
    }

    private void count(Outcome outcome) {
        outcome.accepted().forEach(d -> metrics.counter("determinations", "type", d.type().name(), "outcome", "accepted").increment());
        outcome.duplicates().forEach(d -> metrics.counter("determinations", "type", d.type().name(), "outcome", "duplicate").increment());
    }

    private static boolean isTransient(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null && TRANSIENT_SQL_STATES.contains(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
