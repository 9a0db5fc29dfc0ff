package io.sfmcsuppression.consent;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

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

import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.security.identity.SecurityIdentity;
import io.sfmcsuppression.security.Roles;
import io.sfmcsuppression.web.Problem;
import io.sfmcsuppression.web.ProblemException;
import io.sfmcsuppression.sfmc.SfmcException;
import io.sfmcsuppression.sfmc.SfmcThrottle;

/** Consent checks before a send, and opt-outs from a preference center (DESIGN section 7). */
@Path("/api/v1/consent")
@Tag(name = "consent")
public class ConsentResource {

    private final ConsentService consent;
    private final UnsubscribeService unsubscribes;
    private final OptOutReport report;
    private final OneClickUnsubscribe oneClick;
    private final SecurityIdentity identity;
    private final ConsentConfig.Validation guard;
    private final SfmcThrottle throttle;
    private final MeterRegistry metrics;

    ConsentResource(ConsentService consent, UnsubscribeService unsubscribes, OptOutReport report, OneClickUnsubscribe oneClick,
                    SecurityIdentity identity, ConsentConfig config, SfmcThrottle throttle, MeterRegistry metrics) {
        this.guard = config.validation();
        this.throttle = throttle;
        this.metrics = metrics;
        this.consent = consent;
        this.unsubscribes = unsubscribes;
        this.report = report;
        this.oneClick = oneClick;
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
    @APIResponse(responseCode = "429", description = "The request's budget of SFMC calls, pages or time ran out before "
            + "every key was checked; nothing was answered or recorded. Retry later, or with fewer keys",
            headers = @Header(name = "Retry-After", description = "seconds"))
    @APIResponse(responseCode = "502", description = "SFMC answered with an error or unreadable XML")
    @APIResponse(responseCode = "503", description = "SFMC unreachable, timing out or rate limiting, or as many validations "
            + "running as consent.validation.max-concurrent allows", headers = @Header(name = "Retry-After", description = "seconds"))
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

    /** 502 when SFMC answered and refused or garbled it, 503 when trying again later may work. */
    static int httpStatus(SfmcException e) {
        return e.transientFailure() ? 503 : 502;
    }

    @ServerExceptionMapper
    public Response sfmcFailure(SfmcException e, UriInfo uri) {
        if (e.kind() == SfmcException.Kind.OVER_BUDGET) {
            Map<String, Object> budget = new LinkedHashMap<>();
            budget.put("maxSfmcCalls", guard.maxSfmcCalls());
            budget.put("maxPages", guard.maxPages());
            budget.put("deadline", guard.deadline().toString());
            return refused(429, "Too Many Requests", "The validation was stopped before SFMC's API quota suffered: "
                    + e.getMessage() + ". Nothing was answered or recorded; retry later, or with fewer keys.", uri,
                    Map.of("budget", budget), "over_budget");
        }
        int status = httpStatus(e);
        Problem problem = new Problem("about:blank", status == 503 ? "Service Unavailable" : "Bad Gateway", status,
                e.getMessage(), "/" + uri.getPath().replaceFirst("^/", ""), null, null);
        return Response.status(status).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    /** The bulkhead of {@link ConsentService#validate} is full: 503, so the caller retries rather than queue here. */
    @ServerExceptionMapper
    public Response busy(BulkheadException e, UriInfo uri) {
        return refused(503, "Service Unavailable", "As many validations are running as consent.validation.max-concurrent ("
                + guard.maxConcurrent() + ") allows; nothing was sent to SFMC.", uri, Map.of(), "bulkhead");
    }

    private Response refused(int status, String title, String detail, UriInfo uri, Map<String, Object> extensions, String reason) {
        metrics.counter("consent_validations_refused_total", "reason", reason).increment();
        Duration wait = throttle.remaining().compareTo(guard.retryAfter()) > 0 ? throttle.remaining() : guard.retryAfter();
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        Problem problem = new Problem("about:blank", title, status, detail, "/" + uri.getPath().replaceFirst("^/", ""), null,
                extensions);
        return Response.status(status).type(Problem.MEDIA_TYPE).entity(problem).header("Retry-After", seconds).build();
    }
}
