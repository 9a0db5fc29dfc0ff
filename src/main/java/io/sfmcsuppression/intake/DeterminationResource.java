package io.sfmcsuppression.intake;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.sfmcsuppression.run.RunIds;
import io.sfmcsuppression.security.Roles;

/** The front door: batches of determinations from the upstream classifier. */
@Path("/api/v1/runs/{runId}/determinations")
@Tag(name = "intake")
public class DeterminationResource {

    static final String EXAMPLE = """
            {
              "runDate": "2026-11-23",
              "determinations": [
                { "id": "msg-8841/1", "email": "jane.doe@acme.org", "determination": "INACTIVE",
                  "accountName": "Acme Weekly", "businessUnit": "Marketing", "receivedAt": "2026-11-23T03:12:00Z" },
                { "id": "msg-8842/1", "email": "sam@acme.org", "determination": "TITLE_UPDATE",
                  "accountName": "Acme Weekly", "newTitle": "VP Sales" },
                { "id": "msg-8843/1", "email": "old@acme.org", "determination": "CHANGED_EMAIL", "newEmail": "new@acme.org" },
                { "id": "msg-8844/1", "email": "kim@acme.org", "determination": "OUT_OF_OFFICE", "returnDate": "2026-12-01" }
              ]
            }""";

    private final IntakeService intake;

    DeterminationResource(IntakeService intake) {
        this.intake = intake;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.INGEST)
    @Operation(summary = "Ingest a batch of determinations",
            description = "Atomic: every item is stored or none. 202 only after the batch is committed. "
                    + "An id seen before with the same content is counted as a duplicate.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "mixed batch", value = EXAMPLE)))
    @APIResponse(responseCode = "202", description = "Stored",
            content = @Content(examples = @ExampleObject(name = "accepted", value = "{\"runId\":\"2026-11-23\",\"accepted\":4,\"duplicates\":0}")))
    @APIResponse(responseCode = "400", description = "Malformed JSON or run id")
    @APIResponse(responseCode = "409", description = "The run is completed, or the batch names another run date")
    @APIResponse(responseCode = "413", description = "Too many items or too large a body")
    @APIResponse(responseCode = "415", description = "Not application/json")
    @APIResponse(responseCode = "422", description = "Invalid items, each listed with index, id, field and message")
    public Response ingest(@PathParam("runId") String runId, DeterminationBatch batch) {
        return Response.accepted(intake.ingest(RunIds.require(runId), batch)).build();
    }
}
