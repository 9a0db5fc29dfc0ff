package io.sfmcsuppression.engine;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.arc.All;
import io.sfmcsuppression.ledger.Determination;
import io.sfmcsuppression.ledger.DeterminationType;
import io.sfmcsuppression.ledger.RunContext;

/**
 * Routes newly accepted determinations to the handlers of their type. Every determination is
 * already in the ledger; types without a handler are recorded there only.
 */
@ApplicationScoped
public class ActionEngine {

    private final List<DeterminationHandler> handlers;

    /** ArC orders an {@code @All} list by {@code @Priority}, highest first. */
    ActionEngine(@All List<DeterminationHandler> handlers) {
        this.handlers = List.copyOf(handlers);
    }

    /** Runs each handler once with the batch's determinations of the types it handles. */
    public void process(RunContext run, List<Determination> accepted) {
        Map<DeterminationType, List<Determination>> byType = new EnumMap<>(DeterminationType.class);
        for (Determination d : accepted) {
            byType.computeIfAbsent(d.type(), t -> new ArrayList<>()).add(d);
        }
        for (DeterminationHandler handler : handlers) {
            List<Determination> mine = handler.handles().stream()
                    .flatMap(type -> byType.getOrDefault(type, List.of()).stream())
                    .toList();
            if (!mine.isEmpty()) {
                handler.handle(run, mine);
            }
        }
    }
}
