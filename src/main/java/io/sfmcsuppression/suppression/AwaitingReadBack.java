package io.sfmcsuppression.suppression;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rows SFMC answered 200 for, waiting for their read-back, grouped by data extension and by the run
 * date sent as their {@code Date Added}: one filtered read of that date returns a page of 2 500 of
 * them, where reading by address costs one call per 50. Reads of a group that grows are repeated
 * from its first row, so a group waits to be read until it holds {@code full} addresses or its
 * first one has waited {@code maxWait} (well within the claim lease), and every group is read when
 * the flush has nothing more to send.
 */
final class AwaitingReadBack {

    /** Addresses of one data extension sent with one run date. */
    record Group(String target, LocalDate runDate, List<Chunk.Address> addresses) {
    }

    private record Key(String target, LocalDate runDate) {
    }

    private record Waiting(Instant since, List<Chunk.Address> addresses) {
    }

    private final int full;
    private final Duration maxWait;
    private final Map<Key, Waiting> waiting = new LinkedHashMap<>();

    AwaitingReadBack(int full, Duration maxWait) {
        this.full = full;
        this.maxWait = maxWait;
    }

    /** Adds addresses SFMC answered 200 for; returns, taken out, the groups due for their read now. */
    synchronized List<Group> add(String target, List<Chunk.Address> addresses, Instant now) {
        for (Chunk.Address address : addresses) {
            Key key = new Key(target, address.rows().get(0).runDate());
            waiting.computeIfAbsent(key, k -> new Waiting(now, new ArrayList<>())).addresses().add(address);
        }
        List<Group> due = new ArrayList<>();
        for (Iterator<Map.Entry<Key, Waiting>> it = waiting.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Key, Waiting> e = it.next();
            if (e.getValue().addresses().size() >= full || !e.getValue().since().plus(maxWait).isAfter(now)) {
                due.add(group(e));
                it.remove();
            }
        }
        return due;
    }

    /** Every waiting group, taken out. */
    synchronized List<Group> takeAll() {
        List<Group> all = waiting.entrySet().stream().map(AwaitingReadBack::group).toList();
        waiting.clear();
        return all;
    }

    private static Group group(Map.Entry<Key, Waiting> e) {
        return new Group(e.getKey().target(), e.getKey().runDate(), List.copyOf(e.getValue().addresses()));
    }
}
