package io.sfmcsuppression.sfmc;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;

/**
 * Stands in for SFMC in dry-run and read-only mode, and in live mode without credentials: calls
 * nothing and records what it would have sent (the most recent requests, in memory; the durable
 * per-run record is the outbox rows it leaves SKIPPED with reason MOCK_CLIENT).
 */
@ApplicationScoped
public class MockSfmcClient implements SfmcClient {

    private static final int KEEP = 1000;

    /** One upsert the mock did not send. */
    public record Recorded(String dataExtensionKey, List<Row> rows, Instant at) {
        public String describe() {
            return "would add " + rows.size() + " rows to data extension " + dataExtensionKey;
        }
    }

    private final Clock clock;
    private final List<Recorded> recorded = new ArrayList<>();

    public MockSfmcClient(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized UpsertResult upsert(String dataExtensionKey, List<Row> rows) {
        Recorded r = new Recorded(dataExtensionKey, List.copyOf(rows), clock.instant());
        recorded.add(r);
        if (recorded.size() > KEEP) {
            recorded.remove(0);
        }
        Log.infof("Mock SFMC client: %s (nothing sent)", r.describe());
        return UpsertResult.added();
    }

    @Override
    public Health checkHealth() {
        return new Health(true, "mock client: no token needed", clock.instant());
    }

    @Override
    public String kind() {
        return "mock";
    }

    /** What the mock would have sent, oldest first (at most the last 1000 requests). */
    public synchronized List<Recorded> recorded() {
        return List.copyOf(recorded);
    }
}
