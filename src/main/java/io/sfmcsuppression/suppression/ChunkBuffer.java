package io.sfmcsuppression.suppression;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects claimed rows per data extension and address and hands out chunks of a full batch, so
 * that rows spread over several data extensions do not leave a part-filled request per claim.
 * Not thread-safe: the flusher's drain loop owns it.
 */
final class ChunkBuffer {

    private final int batchSize;
    private final Map<String, Map<String, List<OutboxClaims.Claimed>>> byTarget = new LinkedHashMap<>();

    ChunkBuffer(int batchSize) {
        this.batchSize = batchSize;
    }

    /** Adds the rows and returns every full chunk; with {@code flushAll} the part-filled ones too. */
    List<Chunk> add(List<OutboxClaims.Claimed> claimed, boolean flushAll) {
        for (OutboxClaims.Claimed row : claimed) {
            byTarget.computeIfAbsent(row.target(), t -> new LinkedHashMap<>())
                    .computeIfAbsent(row.email(), e -> new ArrayList<>()).add(row);
        }
        List<Chunk> chunks = new ArrayList<>();
        for (Iterator<Map.Entry<String, Map<String, List<OutboxClaims.Claimed>>>> targets = byTarget.entrySet().iterator();
                targets.hasNext(); ) {
            Map.Entry<String, Map<String, List<OutboxClaims.Claimed>>> target = targets.next();
            Map<String, List<OutboxClaims.Claimed>> byEmail = target.getValue();
            while (byEmail.size() >= batchSize || (flushAll && !byEmail.isEmpty())) {
                chunks.add(new Chunk(target.getKey(), take(byEmail)));
            }
            if (byEmail.isEmpty()) {
                targets.remove();
            }
        }
        return chunks;
    }

    /** Empties the buffer, returning the rows that were never handed out. */
    List<OutboxClaims.Claimed> rest() {
        List<OutboxClaims.Claimed> rest = byTarget.values().stream()
                .flatMap(byEmail -> byEmail.values().stream()).flatMap(List::stream).toList();
        byTarget.clear();
        return rest;
    }

    private List<Chunk.Address> take(Map<String, List<OutboxClaims.Claimed>> byEmail) {
        List<Chunk.Address> addresses = new ArrayList<>(batchSize);
        Iterator<Map.Entry<String, List<OutboxClaims.Claimed>>> it = byEmail.entrySet().iterator();
        while (it.hasNext() && addresses.size() < batchSize) {
            Map.Entry<String, List<OutboxClaims.Claimed>> e = it.next();
            addresses.add(new Chunk.Address(e.getKey(), e.getValue()));
            it.remove();
        }
        return addresses;
    }
}
