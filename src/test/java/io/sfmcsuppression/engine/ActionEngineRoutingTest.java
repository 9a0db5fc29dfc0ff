package io.sfmcsuppression.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.sfmcsuppression.ledger.Determination;
import io.sfmcsuppression.ledger.DeterminationType;
import io.sfmcsuppression.ledger.RunContext;

/** DESIGN rule 1's routing without an application: each handler sees only its types, once per batch. Plain, for PIT. */
class ActionEngineRoutingTest {

    private static final RunContext RUN = new RunContext("r1", LocalDate.parse("2026-12-01"), Instant.parse("2026-12-01T08:00:00Z"));

    @Test
    void rule1_onlyInactiveDeterminationsReachTheInactiveHandlerInOneCall() {
        Recording inactive = new Recording(Set.of(DeterminationType.INACTIVE));
        Recording changed = new Recording(Set.of(DeterminationType.CHANGED_EMAIL, DeterminationType.TITLE_UPDATE));
        Recording none = new Recording(Set.of(DeterminationType.OUT_OF_OFFICE));
        List<Determination> batch = List.of(d("1", DeterminationType.ACTIVE), d("2", DeterminationType.INACTIVE),
                d("3", DeterminationType.CHANGED_EMAIL), d("4", DeterminationType.INACTIVE), d("5", DeterminationType.TITLE_UPDATE));

        new ActionEngine(List.of(inactive, changed, none)).process(RUN, batch);

        assertThat(inactive.calls).containsExactly(List.of("2", "4"));
        assertThat(changed.calls).singleElement().satisfies(ids -> assertThat(ids).containsExactlyInAnyOrder("3", "5"));
        assertThat(none.calls).as("a handler with nothing to do is not called").isEmpty();
    }

    private static Determination d(String id, DeterminationType type) {
        return new Determination(id, "r1", type, id + "@acme.org", id + "@acme.org", "Acme", null,
                RUN.now(), null, null, null, "h" + id);
    }

    private static final class Recording implements DeterminationHandler {
        final Set<DeterminationType> types;
        final List<List<String>> calls = new ArrayList<>();

        Recording(Set<DeterminationType> types) {
            this.types = types;
        }

        @Override
        public Set<DeterminationType> handles() {
            return types;
        }

        @Override
        public void handle(RunContext run, List<Determination> determinations) {
            assertThat(run).isSameAs(RUN);
            calls.add(determinations.stream().map(Determination::id).toList());
        }
    }
}
