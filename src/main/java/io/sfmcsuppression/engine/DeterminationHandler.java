package io.sfmcsuppression.engine;

import java.util.List;
import java.util.Set;

import io.sfmcsuppression.ledger.Determination;
import io.sfmcsuppression.ledger.DeterminationType;
import io.sfmcsuppression.ledger.RunContext;

/**
 * One action taken for determinations of given types, inside the batch's transaction and after
 * the ledger holds them. Handlers are CDI beans, run in {@code @Priority} order (highest first, as ArC
 * orders an {@code @All} list);
 * adding an action is adding one such bean.
 */
public interface DeterminationHandler {

    /** The types this action applies to. */
    Set<DeterminationType> handles();

    /** Acts on the newly accepted determinations of the batch whose type this handler handles. */
    void handle(RunContext run, List<Determination> determinations);
}
