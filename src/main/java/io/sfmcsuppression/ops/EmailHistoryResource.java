package io.sfmcsuppression.ops;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.sfmcsuppression.security.Roles;
import io.sfmcsuppression.web.ProblemException;

/** What the service knows about one address: its determinations and its suppressions. */
@Path("/api/v1/emails/{email}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "history")
public class EmailHistoryResource {

    private final EmailHistoryService history;

    EmailHistoryResource(EmailHistoryService history) {
        this.history = history;
    }

    @GET
    @RolesAllowed(Roles.READ)
    @Operation(summary = "History of one address",
            description = "Every determination (newest first, at most " + EmailHistoryService.MAX_DETERMINATIONS + ") and every suppression of the address.")
    public EmailHistory get(@PathParam("email") String email) {
        EmailHistory found = history.of(email);
        if (found.isEmpty()) {
            throw ProblemException.notFound("No determination was ever recorded for this address.");
        }
        return found;
    }
}
