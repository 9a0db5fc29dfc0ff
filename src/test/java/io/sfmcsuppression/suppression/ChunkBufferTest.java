package io.sfmcsuppression.suppression;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class ChunkBufferTest {

    private long nextId;

    @Test
    void handsOutOnlyFullChunksUntilTheOutboxIsEmpty() {
        ChunkBuffer buffer = new ChunkBuffer(3);
        List<OutboxClaims.Claimed> claim = new ArrayList<>(rows("A", 4));
        claim.addAll(rows("B", 2));

        List<Chunk> first = buffer.add(claim, false);

        assertThat(first).extracting(Chunk::target).containsExactly("A");
        assertThat(first.get(0).addresses()).hasSize(3);

        List<Chunk> second = buffer.add(rows("B", 1), false);
        assertThat(second).extracting(Chunk::target).containsExactly("B");
        assertThat(second.get(0).addresses()).hasSize(3);

        List<Chunk> last = buffer.add(List.of(), true);
        assertThat(last).extracting(Chunk::target).containsExactly("A");
        assertThat(last.get(0).addresses()).extracting(Chunk.Address::email).containsExactly("a4@x.example");
        assertThat(buffer.rest()).isEmpty();
    }

    @Test
    void oneAddressClaimedTwiceForOneDataExtensionIsSentOnceForBothRows() {
        ChunkBuffer buffer = new ChunkBuffer(2);
        buffer.add(List.of(row("A", "same@x.example")), false);

        List<Chunk> chunks = buffer.add(List.of(row("A", "same@x.example"), row("A", "other@x.example")), false);

        assertThat(chunks).hasSize(1);
        assertThat(chunks.get(0).addresses()).extracting(Chunk.Address::email).containsExactly("same@x.example", "other@x.example");
        assertThat(chunks.get(0).addresses().get(0).rows()).hasSize(2);
    }

    @Test
    void restReturnsTheRowsNeverHandedOut() {
        ChunkBuffer buffer = new ChunkBuffer(50);
        buffer.add(rows("A", 7), false);
        buffer.add(rows("B", 5), false);

        assertThat(buffer.rest()).hasSize(12);
        assertThat(buffer.add(List.of(), true)).isEmpty();
    }

    private List<OutboxClaims.Claimed> rows(String target, int count) {
        List<OutboxClaims.Claimed> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            rows.add(row(target, target.toLowerCase() + (nextId + 1) + "@x.example"));
        }
        return rows;
    }

    private OutboxClaims.Claimed row(String target, String email) {
        return new OutboxClaims.Claimed(++nextId, "run", target, email, LocalDate.of(2026, 11, 23), 0, "token");
    }
}
