package io.sfmcsuppression.consent;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
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
import io.sfmcsuppression.sfmc.SfmcException;
import io.sfmcsuppression.sfmc.SfmcThrottle;

/**
 * Consent checks before a send (DESIGN section 7). The opt-outs under the same path are
 * {@code io.sfmcsuppression.optout.OptOutResource}'s; the mappers here answer this resource's failures only.
 */
@Path("/api/v1/consent")
@Tag(name = "consent")
public class ConsentResource {

    private final ConsentService consent;
    private final SecurityIdentity identity;
    private final ConsentConfig.Validation guard;
    private final SfmcThrottle throttle;
    private final MeterRegistry metrics;

    ConsentResource(ConsentService consent, SecurityIdentity identity, ConsentConfig config, SfmcThrottle throttle,
                    MeterRegistry metrics) {
        this.guard = config.validation();
        this.throttle = throttle;
        this.metrics = metrics;
        this.consent = consent;
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
        int status = e.httpStatus();
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
