package io.sfmcsuppression.suppressions;

import java.time.Clock;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.sfmcsuppression.sfmc.SfmcClient;
import io.sfmcsuppression.sfmc.SfmcException;
import io.sfmcsuppression.suppression.EffectiveSfmcClient;
import io.sfmcsuppression.suppression.OutboxState;
import io.sfmcsuppression.suppression.SuppressionOutbox;
import io.sfmcsuppression.web.EmailAddress;
import io.sfmcsuppression.web.ProblemException;

/**
 * Takes back a suppression: deletes the address's row from the data extension through the
 * effective SFMC client (in dry-run and read-only, and live without credentials, that is the mock:
 * nothing is sent, and the release says so), then marks the row RELEASED with who, why and when,
 * and writes the audit log. The rows stay: the history is kept. A later INACTIVE of the address
 * queues a new row and suppresses it again.
 */
@ApplicationScoped
public class SuppressionRelease {

    /** What a release did: the row as it is now, and whether SFMC was asked to delete it. */
    public record Released(SuppressionView suppression, boolean sentToSfmc, int rowsReleased, String note) {
    }

    private final SuppressionCatalog catalog;
    private final SuppressionOutbox outbox;
    private final EffectiveSfmcClient sfmc;
    private final OperatorAudit audit;
    private final MeterRegistry metrics;
    private final Clock clock;

    SuppressionRelease(SuppressionCatalog catalog, SuppressionOutbox outbox, EffectiveSfmcClient sfmc, OperatorAudit audit,
                       MeterRegistry metrics, Clock clock) {
        this.catalog = catalog;
        this.outbox = outbox;
        this.sfmc = sfmc;
        this.audit = audit;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * Releases row {@code id} on behalf of the key {@code by}.
     *
     * @throws ProblemException 404 for an unknown row, 409 for a row not in effect (only ADDED and
     *                          VERIFIED rows are on a list), 502/503 when SFMC refused or could not be reached
     */
    public Released release(long id, String by, String reason) {
        String why = requireReason(reason);
        SuppressionView row = catalog.find(id).orElseThrow(() -> ProblemException.notFound("No suppression " + id));
        if (!OutboxState.ADDED.name().equals(row.state()) && !OutboxState.VERIFIED.name().equals(row.state())) {
            throw ProblemException.conflict("Suppression " + id + " is " + row.state()
                    + "; only ADDED and VERIFIED rows are on a list and can be released");
        }
        SfmcClient client = sfmc.client();
        String note;
        if (client.isMock()) {
            client.delete(row.dataExtensionKey(), row.email());
            note = "released without a delete in SFMC: " + sfmc.status().reason();
        } else {
            SfmcClient.DeleteResult result;
            try {
                result = client.delete(row.dataExtensionKey(), row.email());
            } catch (SfmcException e) {
                audit.record(by, OperatorAudit.Action.RELEASE, subject(row), why, "not released: " + e.getMessage(), clock.instant());
                throw new ProblemException(503, "Service Unavailable", "SFMC could not be asked to delete the row: "
                        + e.getMessage());
            }
            if (!result.deleted()) {
                audit.record(by, OperatorAudit.Action.RELEASE, subject(row), why, "not released: " + result.message(),
                        clock.instant());
                throw new ProblemException(502, "Bad Gateway", "SFMC refused to delete the row: " + result.message());
            }
            note = "deleted from data extension " + row.dataExtensionKey() + " in SFMC";
        }
        Instant now = clock.instant();
        int released = QuarkusTransaction.requiringNew().call(() -> {
            int n = outbox.release(row.dataExtensionKey(), row.email(), by, why, note, now);
            audit.record(by, OperatorAudit.Action.RELEASE, subject(row), why, note + "; " + n + " row(s) RELEASED", now);
            return n;
        });
        metrics.counter("suppression.released", "sent", Boolean.toString(!client.isMock())).increment();
        Log.infof("Suppression %d (%s in %s) released by %s: %s", id, EmailAddress.mask(row.email()), row.dataExtensionKey(), by, note);
        return new Released(catalog.find(id).orElseThrow(), !client.isMock(), released, note);
    }

    static String requireReason(String reason) {
        if (reason == null || reason.isBlank()) {
            throw ProblemException.invalidItems("A reason is required",
                    java.util.List.of(new io.sfmcsuppression.web.Problem.ItemError(0, null, "reason", "must not be blank")));
        }
        if (reason.length() > 500) {
            throw ProblemException.invalidItems("The reason is too long",
                    java.util.List.of(new io.sfmcsuppression.web.Problem.ItemError(0, null, "reason", "at most 500 characters")));
        }
        return reason.trim();
    }

    private static String subject(SuppressionView row) {
        return "suppression " + row.id() + " (" + row.dataExtensionKey() + ", " + EmailAddress.mask(row.email()) + ")";
    }
}
