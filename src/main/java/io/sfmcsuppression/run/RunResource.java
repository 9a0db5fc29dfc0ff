package io.sfmcsuppression.run;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.sfmcsuppression.security.Roles;
import io.sfmcsuppression.web.ProblemException;

/** Closing runs and reading them. */
@Path("/api/v1/runs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "runs")
public class RunResource {

    /** The answer to complete-idle; {@code idleFor} as an ISO-8601 duration. */
    public record IdleRunsCompleted(String idleFor, List<String> completed) {
    }

    private static final int MAX_LIMIT = 500;

    private final RunService runs;

    RunResource(RunService runs) {
        this.runs = runs;
    }

    @POST
    @Path("/{runId}/complete")
    @RolesAllowed(Roles.INGEST)
    @Operation(summary = "Close a run", description = "No more batches are accepted; export and mail follow. Idempotent.")
    @APIResponse(responseCode = "202", description = "The run, now COMPLETED or further along")
    @APIResponse(responseCode = "404", description = "Unknown run")
    public Response complete(@PathParam("runId") String runId) {
        return Response.accepted(RunSummary.of(runs.complete(RunIds.require(runId)))).build();
    }

    @POST
    @Path("/complete-idle")
    @RolesAllowed(Roles.INGEST)
    @Operation(summary = "Close idle runs", description = "Completes every open run with no batch for `idleFor` "
            + "(ISO-8601 duration). The Kubernetes CronJob calls this.")
    @APIResponse(responseCode = "202", description = "The runs that were completed by this call")
    public Response completeIdle(@Parameter(description = "ISO-8601 duration, e.g. PT30M", example = "PT30M")
                                 @QueryParam("idleFor") @DefaultValue("PT30M") String idleFor) {
        Duration duration;
        try {
            duration = Duration.parse(idleFor);
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest("idleFor must be an ISO-8601 duration such as PT30M, not '" + idleFor + "'.");
        }
        if (duration.isNegative()) {
            throw ProblemException.badRequest("idleFor must not be negative.");
        }
        return Response.accepted(new IdleRunsCompleted(duration.toString(), runs.completeIdle(duration))).build();
    }

    @GET
    @Path("/{runId}")
    @RolesAllowed(Roles.READ)
    @Operation(summary = "A run", description = "State, counts per determination type, suppression outcomes.")
    @APIResponse(responseCode = "200", description = "The run")
    @APIResponse(responseCode = "404", description = "Unknown run")
    public RunView get(@PathParam("runId") String runId) {
        return runs.view(RunIds.require(runId));
    }

    @GET
    @RolesAllowed(Roles.READ)
    @Operation(summary = "Recent runs", description = "Newest first, optionally of one state.")
    public List<RunSummary> list(@QueryParam("state") String state,
                                 @QueryParam("limit") @DefaultValue("20") String limit) {
        return runs.recent(parseState(state), parseLimit(limit));
    }

    private static Optional<RunState> parseState(String state) {
        if (state == null || state.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(RunState.valueOf(state.trim().toUpperCase()));
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("state must be one of " + List.of(RunState.values()) + ".");
        }
    }

    private static int parseLimit(String limit) {
        try {
            int value = Integer.parseInt(limit.trim());
            if (value >= 1 && value <= MAX_LIMIT) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ProblemException.badRequest("limit must be a whole number from 1 to " + MAX_LIMIT + ".");
    }
}
