package io.sfmcsuppression.export;

import java.nio.file.Path;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.sfmcsuppression.security.Roles;

/** Downloads of a run's files (only names recorded for the run: {@link DeliverableFiles}). */
@jakarta.ws.rs.Path("/api/v1/runs/{runId}/deliverables/{file}")
@Tag(name = "runs")
public class DeliverableResource {

    static final String TEXT_CSV = "text/csv";

    private final DeliverableFiles files;

    DeliverableResource(DeliverableFiles files) {
        this.files = files;
    }

    @GET
    @Produces(TEXT_CSV)
    @RolesAllowed(Roles.READ)
    @Operation(summary = "Download a deliverable", description = "One of the files listed in the run's `deliverables`.")
    @APIResponse(responseCode = "200", description = "The CSV file")
    @APIResponse(responseCode = "404", description = "Unknown run or file")
    public Response get(@PathParam("runId") String runId, @PathParam("file") String file) {
        Path onDisk = files.recorded(runId, file);
        return Response.ok(onDisk.toFile(), TEXT_CSV + "; charset=UTF-8")
                .header("Content-Disposition", "attachment; filename=\"" + onDisk.getFileName() + "\"")
                .build();
    }
}
