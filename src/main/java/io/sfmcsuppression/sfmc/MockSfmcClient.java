package io.sfmcsuppression.sfmc;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.opentelemetry.instrumentation.annotations.SpanAttribute;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.quarkus.logging.Log;

/**
 * Stands in for SFMC in dry-run and read-only mode, and in live mode without credentials: calls
 * nothing and records what it would have sent (the most recent requests, in memory; the durable
 * per-run record is the outbox rows it leaves SKIPPED with reason MOCK_CLIENT). Those rows never
 * become ADDED, so nothing is read back for them either: no read is sent in these modes.
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

    /** One delete the mock did not send. */
    public record RecordedDelete(String dataExtensionKey, String email, Instant at) {
    }

    private final Clock clock;
    private final List<Recorded> recorded = new ArrayList<>();
    private final List<RecordedDelete> deletes = new ArrayList<>();

    public MockSfmcClient(Clock clock) {
        this.clock = clock;
    }

    @Override
    @WithSpan("sfmc upsert")
    public synchronized UpsertResult upsert(@SpanAttribute(SPAN_DATA_EXTENSION) String dataExtensionKey, List<Row> rows) {
        Recorded r = new Recorded(dataExtensionKey, List.copyOf(rows), clock.instant());
        recorded.add(r);
        if (recorded.size() > KEEP) {
            recorded.remove(0);
        }
        Log.infof("Mock SFMC client: %s (nothing sent)", r.describe());
        return UpsertResult.added();
    }

    /** Records the delete it did not send; nothing in SFMC changes. */
    @Override
    public synchronized DeleteResult delete(String dataExtensionKey, String email) {
        deletes.add(new RecordedDelete(dataExtensionKey, email, clock.instant()));
        if (deletes.size() > KEEP) {
            deletes.remove(0);
        }
        Log.infof("Mock SFMC client: would delete one row from data extension %s (nothing sent)", dataExtensionKey);
        return new DeleteResult(false, "mock client: nothing sent");
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

    /** The deletes the mock would have sent, oldest first (at most the last 1000). */
    public synchronized List<RecordedDelete> deletes() {
        return List.copyOf(deletes);
    }
}
