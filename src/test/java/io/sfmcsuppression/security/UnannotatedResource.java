package io.sfmcsuppression.security;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * A test-only endpoint that forgot its {@code @RolesAllowed}, as a future one might: it must be
 * refused for every caller (UnannotatedEndpointTest). Outside {@code /api} and hidden from the
 * OpenAPI document, so ApiKeyAuthTest's list of operations stays the service's own.
 */
@Path("/test-only/unannotated")
public class UnannotatedResource {

    @GET
    @Produces(MediaType.TEXT_PLAIN)
    @Operation(hidden = true)
    public String get() {
        return "open by omission";
    }
}
