package io.sfmcsuppression.consent;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.quarkus.security.identity.SecurityIdentity;
import io.sfmcsuppression.security.Roles;
import io.sfmcsuppression.web.Problem;
import io.sfmcsuppression.web.ProblemException;

/** Consent checks before a send, and opt-outs from a preference center (DESIGN section 7). */
@Path("/api/v1/consent")
@Tag(name = "consent")
public class ConsentResource {

    private final ConsentService consent;
    private final UnsubscribeService unsubscribes;
    private final OptOutReport report;
    private final SecurityIdentity identity;

    ConsentResource(ConsentService consent, UnsubscribeService unsubscribes, OptOutReport report, SecurityIdentity identity) {
        this.consent = consent;
        this.unsubscribes = unsubscribes;
        this.report = report;
        this.identity = identity;
    }

    @POST
    @Path("/validate")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.CONSENT)
    @Operation(summary = "Validate subscriber keys before a send",
            description = "One result per key, in request order: account status, then publication list, then inferred global opt-out.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = {
            @ExampleObject(name = "classification", value = "{\"send\":{\"classification\":\"MARKETING_NEWSLETTER\"},"
                    + "\"subscriberKeys\":[\"jane.doe@acme.org\",\"sam@acme.org\"]}"),
            @ExampleObject(name = "explicit", value = "{\"send\":{\"isTransactional\":false,\"publicationListId\":\"pl_monthly_newsletter\","
                    + "\"businessUnitId\":\"510000123\"},\"subscriberKeys\":[\"jane.doe@acme.org\"]}")}))
    @APIResponse(responseCode = "200", description = "One decision per key")
    @APIResponse(responseCode = "413", description = "More than 10 000 keys")
    @APIResponse(responseCode = "422", description = "Invalid send, or keys of the wrong format, each listed")
    @APIResponse(responseCode = "502", description = "SFMC answered with an error or unreadable XML")
    @APIResponse(responseCode = "503", description = "SFMC unreachable, timing out or rate limiting")
    public ValidationResponse validate(ValidationRequest request) {
        return consent.validate(request, identity.getPrincipal().getName());
    }

    @POST
    @Path("/unsubscribe")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.CONSENT)
    @Operation(summary = "Record an opt-out synchronously",
            description = "Recorded first, then sent to SFMC and read back. 200 only when SFMC reports Unsubscribed; "
                    + "otherwise 502/503 with state PENDING, and the opt-out is retried until confirmed.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = {
            @ExampleObject(name = "publication", value = "{\"subscriberKey\":\"jane.doe@acme.org\",\"scope\":\"publication\","
                    + "\"publicationListId\":\"pl_weekly_promos\",\"reason\":\"preference center\",\"source\":\"web\"}"),
            @ExampleObject(name = "account", value = "{\"subscriberKey\":\"jane.doe@acme.org\",\"scope\":\"account\","
                    + "\"reason\":\"unsubscribe all\",\"source\":\"web\"}")}))
    @APIResponse(responseCode = "200", description = "SFMC confirmed the new status")
    @APIResponse(responseCode = "422", description = "Invalid key, scope or list")
    @APIResponse(responseCode = "502", description = "SFMC answered with an error; recorded as PENDING and retried")
    @APIResponse(responseCode = "503", description = "SFMC unreachable; recorded as PENDING and retried")
    public UnsubscribeResult unsubscribe(UnsubscribeRequest request) {
        return unsubscribes.unsubscribe(request, identity.getPrincipal().getName());
    }

    @GET
    @Path("/opt-outs")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.CONSENT, Roles.READ})
    @Operation(summary = "Opt-outs against the CAN-SPAM window",
            description = "Without overdue: every opt-out SFMC has not confirmed yet, with its deadline and business days left. "
                    + "With overdue=true: the ones not confirmed within the window (still open, or confirmed late).")
    @APIResponse(responseCode = "200", description = "The report, soonest deadline first")
    @APIResponse(responseCode = "400", description = "overdue is not true or false")
    public OptOutReport.Report optOuts(@QueryParam("overdue") String overdue) {
        if (overdue != null && !overdue.equalsIgnoreCase("true") && !overdue.equalsIgnoreCase("false")) {
            throw ProblemException.badRequest("overdue must be true or false.");
        }
        return report.report(Boolean.parseBoolean(overdue));
    }

    @ServerExceptionMapper
    public Response sfmcFailure(SfmcConsentException e, UriInfo uri) {
        int status = e.httpStatus();
        Problem problem = new Problem("about:blank", status == 503 ? "Service Unavailable" : "Bad Gateway", status,
                e.getMessage(), "/" + uri.getPath().replaceFirst("^/", ""), null, null);
        return Response.status(status).type(Problem.MEDIA_TYPE).entity(problem).build();
    }
}
