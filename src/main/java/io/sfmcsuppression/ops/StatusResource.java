package io.sfmcsuppression.ops;

import java.time.Instant;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.sfmcsuppression.export.ExportStatus;
import io.sfmcsuppression.export.LastExport;
import io.sfmcsuppression.security.Roles;
import io.sfmcsuppression.sfmc.SfmcClients;
import io.sfmcsuppression.suppression.EffectiveSfmcClient;
import io.sfmcsuppression.suppression.SuppressionConfig;
import io.sfmcsuppression.suppression.OutboxReports;
import io.sfmcsuppression.suppression.SuppressionTargets;

/** The service's own view of itself, for operators. */
@Path("/api/v1/status")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "status")
public class StatusResource {

    /**
     * @param mode           the requested SUPPRESSION_MODE
     * @param mappedAccounts accounts with an Auto-Suppression List in SFMC_SUPPRESSION_LIST_MAPPING
     * @param outbox         suppression rows by state, skipped ones by reason
     * @param sfmc           effective SFMC client and why, token health, last SFMC error
     * @param lastExport     the export written last and its mail; null before the first
     * @param database       the database product and warnings about its planner statistics (checked at most once a minute)
     */
    public record Status(String mode, int mappedAccounts, Map<String, Long> outbox, Sfmc sfmc,
                         LastExport lastExport, DatabaseHealth database) {
    }

    /**
     * @param client      the effective SFMC client (live, soap or mock)
     * @param reason      why that client
     * @param token       the token's health; {@code tokenDetail} says more
     * @param checkedAt   when SFMC was last asked
     * @param lastError   SFMC's last error, null when there was none
     */
    public record Sfmc(String client, String reason, String token, String tokenDetail, Instant checkedAt, LastError lastError) {
        static Sfmc of(SfmcClients.Status status) {
            return new Sfmc(status.client(), status.reason(), status.token(), status.tokenDetail(), status.checkedAt(),
                    status.lastError() == null ? null : new LastError(status.lastError().at(), status.lastError().message()));
        }
    }

    /** SFMC's last error: when, and its (redacted) message. */
    public record LastError(Instant at, String message) {
    }

    private final SuppressionConfig suppression;
    private final SuppressionTargets targets;
    private final OutboxReports outbox;
    private final EffectiveSfmcClient sfmc;
    private final ExportStatus exports;
    private final DatabaseStatistics statistics;

    StatusResource(SuppressionConfig suppression, SuppressionTargets targets, OutboxReports outbox,
                   EffectiveSfmcClient sfmc, ExportStatus exports, DatabaseStatistics statistics) {
        this.suppression = suppression;
        this.targets = targets;
        this.outbox = outbox;
        this.sfmc = sfmc;
        this.exports = exports;
        this.statistics = statistics;
    }

    @GET
    @RolesAllowed(Roles.READ)
    @Operation(summary = "Service status",
            description = "Requested mode, effective SFMC client and why, token health, last SFMC error, outbox depth, last export, "
                    + "database warnings (stale planner statistics, autovacuum off).")
    public Status get() {
        return new Status(suppression.mode().value(), targets.mappedAccounts(), outbox.depth(), Sfmc.of(sfmc.status()),
                exports.last().orElse(null), statistics.health());
    }
}
