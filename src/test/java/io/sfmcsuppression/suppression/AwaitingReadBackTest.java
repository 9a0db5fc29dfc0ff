package io.sfmcsuppression.suppression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class AwaitingReadBackTest {

    private static final Instant T0 = Instant.parse("2026-12-02T07:00:00Z");
    private static final LocalDate NOV_23 = LocalDate.parse("2026-11-23");
    private static final LocalDate NOV_24 = LocalDate.parse("2026-11-24");

    private long nextId;

    @Test
    void groupsByDataExtensionAndRunDateAndHandsOutAGroupOnceItIsFull() {
        AwaitingReadBack awaiting = new AwaitingReadBack(4, Duration.ofMinutes(1));

        assertThat(awaiting.add("A", addresses(3, NOV_23), T0)).isEmpty();
        assertThat(awaiting.add("A", addresses(3, NOV_24), T0)).isEmpty();
        assertThat(awaiting.add("B", addresses(3, NOV_23), T0)).isEmpty();

        List<AwaitingReadBack.Group> due = awaiting.add("A", addresses(1, NOV_23), T0);

        assertThat(due).singleElement().satisfies(g -> {
            assertThat(g.target()).isEqualTo("A");
            assertThat(g.runDate()).isEqualTo(NOV_23);
            assertThat(g.addresses()).hasSize(4);
        });
        assertThat(awaiting.takeAll()).extracting(AwaitingReadBack.Group::target, AwaitingReadBack.Group::runDate)
                .containsExactly(tuple("A", NOV_24), tuple("B", NOV_23));
        assertThat(awaiting.takeAll()).isEmpty();
    }

    @Test
    void aGroupWhoseFirstRowWaitedTooLongIsHandedOutWithTheNextAddition() {
        AwaitingReadBack awaiting = new AwaitingReadBack(100, Duration.ofMinutes(1));
        awaiting.add("A", addresses(2, NOV_23), T0);

        assertThat(awaiting.add("B", addresses(1, NOV_23), T0.plusSeconds(59))).isEmpty();
        List<AwaitingReadBack.Group> due = awaiting.add("B", addresses(1, NOV_23), T0.plusSeconds(60));

        assertThat(due).singleElement().satisfies(g -> {
            assertThat(g.target()).isEqualTo("A");
            assertThat(g.addresses()).hasSize(2);
        });
        assertThat(awaiting.takeAll()).singleElement().satisfies(g -> assertThat(g.addresses()).hasSize(2));
    }

    private List<Chunk.Address> addresses(int n, LocalDate runDate) {
        List<Chunk.Address> addresses = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long id = ++nextId;
            String email = "p" + id + "@x.example";
            addresses.add(new Chunk.Address(email, List.of(new OutboxClaims.Claimed(id, "run", "T", email, runDate, 0, "token"))));
        }
        return addresses;
    }
}
