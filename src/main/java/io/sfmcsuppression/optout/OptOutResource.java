package io.sfmcsuppression.optout;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
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

/**
 * Opt-outs from a preference center, their one-click links and the CAN-SPAM report (DESIGN
 * section 7), under the consent API's path and tag: to a caller they are part of consent.
 */
@Path("/api/v1/consent")
@Tag(name = "consent")
public class OptOutResource {

    private final UnsubscribeService unsubscribes;
    private final OptOutReport report;
    private final OneClickUnsubscribe oneClick;
    private final SecurityIdentity identity;

    OptOutResource(UnsubscribeService unsubscribes, OptOutReport report, OneClickUnsubscribe oneClick, SecurityIdentity identity) {
        this.unsubscribes = unsubscribes;
        this.report = report;
        this.oneClick = oneClick;
        this.identity = identity;
    }

    @POST
    @Path("/unsubscribe")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.CONSENT)
    @Operation(summary = "Record an opt-out synchronously",
            description = "Recorded first, then sent to SFMC and read back. 200 only when SFMC reports Unsubscribed; "
                    + "otherwise 502/503 with state PENDING, and the opt-out is retried until confirmed. Scope account: "
                    + "All Subscribers of one business unit; publication: one list; enterprise: every business unit of "
                    + "the enterprise, confirmed when each reports Unsubscribed, and blocking validation in every unit "
                    + "from the moment it is recorded.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = {
            @ExampleObject(name = "publication", value = "{\"subscriberKey\":\"jane.doe@acme.org\",\"scope\":\"publication\","
                    + "\"publicationListId\":\"pl_weekly_promos\",\"reason\":\"preference center\",\"source\":\"web\"}"),
            @ExampleObject(name = "account", value = "{\"subscriberKey\":\"jane.doe@acme.org\",\"scope\":\"account\","
                    + "\"reason\":\"unsubscribe all\",\"source\":\"web\"}"),
            @ExampleObject(name = "enterprise", value = "{\"subscriberKey\":\"jane.doe@acme.org\",\"scope\":\"enterprise\","
                    + "\"reason\":\"unsubscribe from every brand\",\"source\":\"web\"}")}))
    @APIResponse(responseCode = "200", description = "SFMC confirmed the new status")
    @APIResponse(responseCode = "422", description = "Invalid key, scope or list, or control characters, noncharacters "
            + "or lone surrogates in reason or source; nothing recorded")
    @APIResponse(responseCode = "502", description = "SFMC answered with an error; recorded as PENDING and retried. "
            + "When SFMC refused the request's content (a SOAP Client fault): state FAILED with SFMC's message, not retried")
    @APIResponse(responseCode = "503", description = "SFMC unreachable; recorded as PENDING and retried")
    public UnsubscribeResult unsubscribe(UnsubscribeRequest request) {
        return unsubscribes.unsubscribe(request, identity.getPrincipal().getName());
    }

    @POST
    @Path("/unsubscribe-links")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.CONSENT)
    @Operation(summary = "Mint the List-Unsubscribe headers of one key and scope",
            description = "An https URL with an opaque, sealed token (key, scope, list, business unit, expiry) and the "
                    + "List-Unsubscribe-Post value. Put both headers on the send.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "publication",
            value = "{\"subscriberKey\":\"jane.doe@acme.org\",\"scope\":\"publication\",\"publicationListId\":\"pl_weekly_promos\"}")))
    @APIResponse(responseCode = "200", description = "The two header values")
    @APIResponse(responseCode = "422", description = "Invalid key, scope or list")
    @APIResponse(responseCode = "503", description = "CONSENT_ONE_CLICK_SECRET or CONSENT_ONE_CLICK_BASE_URL is not set")
    public UnsubscribeLink mint(UnsubscribeLinkRequest request) {
        return oneClick.mint(request);
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
}
