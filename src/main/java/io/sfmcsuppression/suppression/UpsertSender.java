package io.sfmcsuppression.suppression;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

import io.sfmcsuppression.sfmc.SfmcClient;
import io.sfmcsuppression.sfmc.SfmcException;

/**
 * Sends a chunk's addresses as upserts: on a 400 about a row the request is split in halves until
 * every good row has landed and each bad one is alone, and the addresses SFMC answered 200 for go
 * to their read-back together. The {@link OutcomeRecorder} says what each answer means for the
 * rows. Holds no state; runs on the flusher's sender threads.
 */
final class UpsertSender {

    private final OutcomeRecorder outcomes;
    private final ReadBackVerifier verifier;

    UpsertSender(OutcomeRecorder outcomes, ReadBackVerifier verifier) {
        this.outcomes = outcomes;
        this.verifier = verifier;
    }

    /** Upserts the addresses (splitting on a 400 about a row); those SFMC answered 200 for wait for their read-back. */
    void send(SfmcClient client, String target, List<Chunk.Address> addresses, AtomicBoolean stop) {
        List<Chunk.Address> landed = new ArrayList<>();
        upsert(client, target, addresses, stop, landed);
        if (!landed.isEmpty()) {
            verifier.landed(target, landed);
        }
    }

    /** Hands the rows to the mock, which records what it would have sent; they become SKIPPED. */
    void skipWithMock(SfmcClient mock, List<OutboxClaims.Claimed> claimed) {
        Map<String, List<OutboxClaims.Claimed>> byTarget = claimed.stream()
                .collect(Collectors.groupingBy(OutboxClaims.Claimed::target, LinkedHashMap::new, Collectors.toList()));
        byTarget.forEach((target, rows) -> {
            mock.upsert(target, rows.stream().map(r -> new SfmcClient.Row(r.email(), r.runDate())).toList());
            outcomes.skippedWithMock(target, rows);
        });
    }

    /** One upsert request; the addresses of every request answered 200 go to {@code landed} when they are to be read back. */
    private void upsert(SfmcClient client, String target, List<Chunk.Address> addresses, AtomicBoolean stop,
                        List<Chunk.Address> landed) {
        List<SfmcClient.Row> body = addresses.stream()
                .map(a -> new SfmcClient.Row(a.email(), a.rows().get(0).runDate())).toList();
        SfmcClient.UpsertResult result;
        try {
            result = client.upsert(target, body);
        } catch (SfmcException e) {
            outcomes.onError(e, target, addresses, stop);
            return;
        } catch (CircuitBreakerOpenException e) {
            outcomes.circuitOpen(addresses, stop);
            return;
        } catch (RuntimeException e) {
            outcomes.upsertThrew(e, target, addresses);
            return;
        }
        switch (result.outcome()) {
            case ADDED -> {
                if (outcomes.added(target, addresses)) {
                    landed.addAll(addresses);
                }
            }
            case REJECTED -> {
                if (addresses.size() == 1) {
                    outcomes.fail(target, addresses, result.message());
                } else {
                    // SFMC saved the rows before the first bad one; halves find it, and upserts are idempotent.
                    int half = addresses.size() / 2;
                    outcomes.split(target, addresses.size());
                    upsert(client, target, addresses.subList(0, half), stop, landed);
                    upsert(client, target, addresses.subList(half, addresses.size()), stop, landed);
                }
            }
            case REFUSED -> outcomes.fail(target, addresses, result.message());
        }
    }
}
