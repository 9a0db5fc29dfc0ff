package io.sfmcsuppression.engine;

import java.util.List;
import java.util.Set;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;

import io.sfmcsuppression.ledger.Determination;
import io.sfmcsuppression.ledger.DeterminationType;
import io.sfmcsuppression.ledger.RunContext;
import io.sfmcsuppression.run.InactivePeople;
import io.sfmcsuppression.suppression.SuppressionOutbox;

/**
 * INACTIVE: the person joins the run's deliverables and is handed to suppression (DESIGN rule 1:
 * no other type reaches suppression).
 */
@ApplicationScoped
@Priority(1000)
public class InactiveHandler implements DeterminationHandler {

    private final InactivePeople inactivePeople;
    private final SuppressionOutbox outbox;

    InactiveHandler(InactivePeople inactivePeople, SuppressionOutbox outbox) {
        this.inactivePeople = inactivePeople;
        this.outbox = outbox;
    }

    @Override
    public Set<DeterminationType> handles() {
        return Set.of(DeterminationType.INACTIVE);
    }

    @Override
    public void handle(RunContext run, List<Determination> determinations) {
        inactivePeople.record(run, determinations);
        outbox.request(run, determinations);
    }
}
