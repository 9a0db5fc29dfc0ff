package io.sfmcsuppression.suppressions;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.quarkus.security.identity.SecurityIdentity;
import io.sfmcsuppression.security.Roles;
import io.sfmcsuppression.web.ProblemException;

/** The flusher's pause switch and the operator audit log. */
@Path("/api/v1")
@Tag(name = "operations")
public class OperationsResource {

    private static final String REASON_EXAMPLE = "{\"reason\":\"SFMC maintenance window 22:00-23:00\"}";
    private static final String STATE_EXAMPLE = "{\"paused\":true,\"changedBy\":\"ops-jane\","
            + "\"reason\":\"SFMC maintenance window 22:00-23:00\",\"changedAt\":\"2026-11-24T21:58:00Z\"}";

    private final OperatorActions actions;
    private final SecurityIdentity identity;

    OperationsResource(OperatorActions actions, SecurityIdentity identity) {
        this.actions = actions;
        this.identity = identity;
    }

    @GET
    @Path("/flusher")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.READ)
    @Operation(summary = "Whether the flusher is paused", description = "Who changed it last, why and when.")
    @APIResponse(responseCode = "200", description = "The switch", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "paused", value = STATE_EXAMPLE)))
    public FlusherSwitch flusher() {
        return actions.flusherSwitch();
    }

    @POST
    @Path("/flusher/pause")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OPERATE)
    @Operation(summary = "Pause the flusher", description = "No replica sends suppressions to SFMC until it is resumed; "
            + "new rows wait PENDING. Holds across restarts.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "pause", value = REASON_EXAMPLE)))
    @APIResponse(responseCode = "200", description = "The switch now", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "paused", value = STATE_EXAMPLE)))
    @APIResponse(responseCode = "422", description = "No reason given")
    public FlusherSwitch pause(SuppressionsResource.Reason body) {
        return actions.setFlusherPaused(true, actor(), body == null ? null : body.reason());
    }

    @POST
    @Path("/flusher/resume")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OPERATE)
    @Operation(summary = "Resume the flusher", description = "Sending starts again at once.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "resume", value = "{\"reason\":\"maintenance over\"}")))
    @APIResponse(responseCode = "200", description = "The switch now")
    @APIResponse(responseCode = "422", description = "No reason given")
    public FlusherSwitch resume(SuppressionsResource.Reason body) {
        return actions.setFlusherPaused(false, actor(), body == null ? null : body.reason());
    }

    @GET
    @Path("/operator-audit")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.READ)
    @Operation(summary = "The operator audit log", description = "Every operator action, newest first: who, what, why, outcome.")
    @APIResponse(responseCode = "200", description = "Entries", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "entries", value = "[{\"id\":12,\"occurredAt\":\"2026-11-24T09:12:00Z\","
                    + "\"actor\":\"ops-jane\",\"action\":\"RELEASE\",\"subject\":\"suppression 4711 (ASL_ACME, j***@acme.org)\","
                    + "\"reason\":\"vacation reply misread\",\"outcome\":\"deleted from data extension ASL_ACME in SFMC; 1 row(s) RELEASED\"}]")))
    @APIResponse(responseCode = "400", description = "A malformed limit")
    public List<OperatorActions.AuditEntry> auditLog(@QueryParam("limit") @DefaultValue("100") String limit) {
        int n = SuppressionsResource.parseLimit(limit);
        if (n < 1 || n > SuppressionCatalog.MAX_LIMIT) {
            throw ProblemException.badRequest("limit must be between 1 and " + SuppressionCatalog.MAX_LIMIT);
        }
        return actions.auditLog(n);
    }

    private String actor() {
        return identity.getPrincipal().getName();
    }
}
