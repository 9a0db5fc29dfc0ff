package io.sfmcsuppression.suppressions;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.quarkus.security.identity.SecurityIdentity;
import io.sfmcsuppression.export.RunOperations;
import io.sfmcsuppression.run.RunIds;
import io.sfmcsuppression.security.Roles;

/** An operator's actions on one run's export: re-export, and resend the N04 mail. */
@Path("/api/v1/runs/{runId}/actions")
@Tag(name = "operations")
public class RunActionsResource {

    private final OperatorActions actions;
    private final SecurityIdentity identity;

    RunActionsResource(OperatorActions actions, SecurityIdentity identity) {
        this.actions = actions;
        this.identity = identity;
    }

    @POST
    @Path("/re-export")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OPERATE)
    @Operation(summary = "Write a run's files again", description = "From the ledger as it is now (after a release, a "
            + "re-queue or a late SFMC answer); the run's state and its mail stay as they are.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "reexport", value = "{\"reason\":\"internal file after two releases\"}")))
    @APIResponse(responseCode = "200", description = "The files written", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "reexported", value = "{\"runId\":\"2026-11-23\",\"deliverables\":[{\"name\":"
                    + "\"Marketing_NoLongerThere_2026-11-23.csv\",\"kind\":\"N04\",\"businessUnit\":\"Marketing\",\"rows\":118,"
                    + "\"sizeBytes\":4410,\"sha256\":\"...\"}]}")))
    @APIResponse(responseCode = "404", description = "Unknown run")
    @APIResponse(responseCode = "409", description = "The run is not exported yet, or busy")
    @APIResponse(responseCode = "422", description = "No reason given")
    public RunOperations.Reexported reexport(@PathParam("runId") String runId, SuppressionsResource.Reason body) {
        RunIds.require(runId);
        return actions.reexport(runId, identity.getPrincipal().getName(), body == null ? null : body.reason());
    }

    @POST
    @Path("/resend-n04")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OPERATE)
    @Operation(summary = "Send a run's N04 mail again", description = "An explicit second send to the same recipients with "
            + "the same attachments, counted as n04.mails{outcome=resent}. In dry-run and read-only nothing is sent (WITHHELD).")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "resend", value = "{\"reason\":\"marketing lost the mail (ticket 4415)\"}")))
    @APIResponse(responseCode = "200", description = "Sent or withheld", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "resent", value = "{\"runId\":\"2026-11-23\",\"outcome\":\"SENT\","
                    + "\"detail\":\"N04 ...\",\"attempts\":2}")))
    @APIResponse(responseCode = "404", description = "Unknown run")
    @APIResponse(responseCode = "409", description = "The run's mail was not sent yet (only NOTIFIED runs), or it is busy")
    @APIResponse(responseCode = "422", description = "No reason given")
    @APIResponse(responseCode = "502", description = "SMTP refused; nothing changed")
    public RunOperations.Resent resendN04(@PathParam("runId") String runId, SuppressionsResource.Reason body) {
        RunIds.require(runId);
        return actions.resendN04(runId, identity.getPrincipal().getName(), body == null ? null : body.reason());
    }
}
