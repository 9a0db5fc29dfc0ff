package io.sfmcsuppression.export;

import java.nio.file.Files;
import java.nio.file.Path;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.sfmcsuppression.run.RunIds;
import io.sfmcsuppression.security.Roles;
import io.sfmcsuppression.web.ProblemException;

/**
 * Downloads of a run's files. Only names recorded for the run are served, looked up in the
 * database, so no path a caller sends ever reaches the file system.
 */
@jakarta.ws.rs.Path("/api/v1/runs/{runId}/deliverables/{file}")
@Tag(name = "runs")
public class DeliverableResource {

    static final String TEXT_CSV = "text/csv";

    private final ExportRepository exports;
    private final DeliverablesWriter writer;

    DeliverableResource(ExportRepository exports, DeliverablesWriter writer) {
        this.exports = exports;
        this.writer = writer;
    }

    @GET
    @Produces(TEXT_CSV)
    @RolesAllowed(Roles.READ)
    @Operation(summary = "Download a deliverable", description = "One of the files listed in the run's `deliverables`.")
    @APIResponse(responseCode = "200", description = "The CSV file")
    @APIResponse(responseCode = "404", description = "Unknown run or file")
    public Response get(@PathParam("runId") String runId, @PathParam("file") String file) {
        RunIds.require(runId);
        WrittenFile recorded = exports.deliverables(runId).stream().filter(f -> f.name().equals(file)).findFirst()
                .orElseThrow(() -> ProblemException.notFound("Run " + runId + " has no deliverable of that name."));
        Path onDisk = writer.runDir(runId).resolve(recorded.name());
        if (!Files.isRegularFile(onDisk)) {
            throw ProblemException.notFound("The file " + recorded.name() + " of run " + runId
                    + " is recorded but no longer on disk.");
        }
        return Response.ok(onDisk.toFile(), TEXT_CSV + "; charset=UTF-8")
                .header("Content-Disposition", "attachment; filename=\"" + recorded.name() + "\"")
                .build();
    }
}
