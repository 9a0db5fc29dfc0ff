package io.sfmcsuppression.engine;

import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import jakarta.annotation.Priority;

import io.sfmcsuppression.ledger.Determination;
import io.sfmcsuppression.ledger.DeterminationType;
import io.sfmcsuppression.ledger.RunContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

/**
 * Routes newly accepted determinations to the handlers of their type. Every determination is
 * already in the ledger; types without a handler are recorded there only.
 */
@ApplicationScoped
public class ActionEngine {

    private final List<DeterminationHandler> handlers;

    ActionEngine(Instance<DeterminationHandler> handlers) {
        this.handlers = handlers.stream()
                .sorted(Comparator.comparingInt(ActionEngine::priority))
                .toList();
    }

    /** Runs each handler once with the batch's determinations of the types it handles. */
    public void process(RunContext run, List<Determination> accepted) {
        Map<DeterminationType, List<Determination>> byType = new EnumMap<>(DeterminationType.class);
        for (Determination d : accepted) {
            byType.computeIfAbsent(d.type(), t -> new java.util.ArrayList<>()).add(d);
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

    private static int priority(DeterminationHandler handler) {
        Priority priority = handler.getClass().getAnnotation(Priority.class);
        if (priority == null && handler.getClass().getSuperclass() != null) {
            priority = handler.getClass().getSuperclass().getAnnotation(Priority.class);
        }
        return priority == null ? Integer.MAX_VALUE : priority.value();
    }
}
