package io.sfmcsuppression.suppressions;

import java.io.IOException;
import java.io.InputStream;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.quarkus.security.identity.SecurityIdentity;
import io.sfmcsuppression.config.AppConfig;
import io.sfmcsuppression.security.Roles;
import io.sfmcsuppression.suppression.SuppressionOutbox;
import io.sfmcsuppression.web.ProblemException;

/**
 * The suppression list: list, filter, export, look up one address (by POST, so that addresses stay
 * out of URLs and logs), release, re-queue, add and import. Thin: the work is in
 * {@link SuppressionCatalog}, {@link SuppressionCsv}, {@link SuppressionRelease} and {@link OperatorActions}.
 */
@Path("/api/v1/suppressions")
@Tag(name = "suppressions")
public class SuppressionsResource {

    static final String TEXT_CSV = "text/csv";

    /** The body of a look-up. */
    public record Lookup(String address) {
    }

    /** The body of a release, a flusher switch: why. */
    public record Reason(String reason) {
    }

    /** The body of a re-queue: exactly one of id, runId, dataExtension, and why. */
    public record Requeue(Long id, String runId, String dataExtension, String reason) {
    }

    /** The body of an operator's suppression of one address. */
    public record Add(String dataExtension, String address, String reason) {
    }

    /** The answer to an add. */
    public record Added(String dataExtension, boolean queued) {
    }

    private static final String PAGE_EXAMPLE = """
            {"items":[{"id":4711,"email":"jane.doe@acme.org","dataExtensionKey":"ASL_ACME","businessUnit":"Marketing",
            "accountName":"Acme Weekly","runId":"2026-11-23","dateAdded":"2026-11-23","state":"VERIFIED","reason":null,
            "attempts":1,"sfmcMessage":null,"origin":{"kind":"classifier","determinationId":"msg-8841/1","runId":"2026-11-23"},
            "createdAt":"2026-11-23T08:00:01Z","updatedAt":"2026-11-23T08:00:03Z"}],"nextCursor":"djE6NDcxMQ"}""";

    private final SuppressionCatalog catalog;
    private final SuppressionCsv csv;
    private final SuppressionRelease release;
    private final OperatorActions actions;
    private final AppConfig app;
    private final SecurityIdentity identity;

    SuppressionsResource(SuppressionCatalog catalog, SuppressionCsv csv, SuppressionRelease release, OperatorActions actions,
                         AppConfig app, SecurityIdentity identity) {
        this.catalog = catalog;
        this.csv = csv;
        this.release = release;
        this.actions = actions;
        this.app = app;
        this.identity = identity;
    }

    @GET
    @Produces({MediaType.APPLICATION_JSON, TEXT_CSV})
    @RolesAllowed(Roles.READ)
    @Operation(summary = "List suppressions",
            description = "Newest first, filtered; JSON pages with an opaque cursor (keyset on the row id: rows added while "
                    + "you page never shift the pages still to come), or with Accept: text/csv the whole filtered list, streamed. "
                    + "Dates are whole days in app.zone; createdTo is inclusive for a date, exclusive for an instant.")
    @APIResponse(responseCode = "200", description = "A page, or the CSV", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "page", value = PAGE_EXAMPLE)),
            @Content(mediaType = TEXT_CSV, examples = @ExampleObject(name = "csv", value = "\"id\",\"email\",\"data_extension_key\",..."))})
    @APIResponse(responseCode = "400", description = "A malformed filter, limit or cursor")
    public Response list(@QueryParam("dataExtension") @Parameter(example = "ASL_ACME") String dataExtension,
                         @QueryParam("businessUnit") @Parameter(example = "Marketing") String businessUnit,
                         @QueryParam("state") @Parameter(example = "FAILED") String state,
                         @QueryParam("reason") @Parameter(example = "NO_MAPPING") String reason,
                         @QueryParam("origin") @Parameter(example = "classifier") String origin,
                         @QueryParam("createdFrom") @Parameter(example = "2026-11-01") String createdFrom,
                         @QueryParam("createdTo") @Parameter(example = "2026-11-30") String createdTo,
                         @QueryParam("address") @Parameter(description = "Prefer POST /lookup: a URL can end up in logs") String address,
                         @QueryParam("cursor") String cursor,
                         @QueryParam("limit") @DefaultValue("100") String limit,
                         @jakarta.ws.rs.core.Context HttpHeaders headers) {
        SuppressionFilter filter = SuppressionFilter.parse(dataExtension, businessUnit, state, reason, origin, createdFrom,
                createdTo, address, app.zone());
        if (wantsCsv(headers)) {
            StreamingOutput body = out -> csv.write(filter, out);
            return Response.ok(body, TEXT_CSV + "; charset=UTF-8")
                    .header("Content-Disposition", "attachment; filename=\"suppressions.csv\"").build();
        }
        return Response.ok(catalog.page(filter, cursor, parseLimit(limit)), MediaType.APPLICATION_JSON).build();
    }

    @GET
    @Path("/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.READ)
    @Operation(summary = "One suppression row", description = "With its origin and, when released, who released it, why and when.")
    @APIResponse(responseCode = "404", description = "No such row")
    public SuppressionView get(@PathParam("id") long id) {
        return catalog.find(id).orElseThrow(() -> ProblemException.notFound("No suppression " + id));
    }

    @POST
    @Path("/lookup")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.READ)
    @Operation(summary = "Every suppression row of one address", description = "Matched case-insensitively, newest first, "
            + "at most 1000 rows. The address travels in the body, never in a URL.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "lookup", value = "{\"address\":\"jane.doe@acme.org\"}")))
    @APIResponse(responseCode = "200", description = "The rows (an empty list when none)")
    @APIResponse(responseCode = "400", description = "No address, or one over 254 characters")
    public SuppressionPage lookup(Lookup body) {
        return catalog.page(SuppressionFilter.ofAddress(body == null ? null : body.address()), null, SuppressionCatalog.MAX_LIMIT);
    }

    @GET
    @Path("/review")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.READ)
    @Operation(summary = "Suppressions to review", description = "Rows in effect whose address had an ACTIVE determination "
            + "after the INACTIVE that suppressed it: perhaps a wrong verdict (a vacation reply read as 'no longer here'). "
            + "Nothing is released automatically; release what is wrong.")
    @APIResponse(responseCode = "200", description = "A page", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "page", value = PAGE_EXAMPLE)))
    public SuppressionPage review(@QueryParam("cursor") String cursor, @QueryParam("limit") @DefaultValue("100") String limit) {
        return catalog.page(SuppressionFilter.all().forReview(), cursor, parseLimit(limit));
    }

    @POST
    @Path("/{id}/release")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OPERATE)
    @Operation(summary = "Release a suppression", description = "Deletes the address's row from the data extension in SFMC "
            + "(SOAP Delete of the DataExtensionObject by its key), marks every row of the address in that list RELEASED with "
            + "this key's name, the reason and the time, and writes the audit log. In dry-run and read-only nothing is sent "
            + "and the release says so. A later INACTIVE of the address suppresses it again.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "release", value = "{\"reason\":\"vacation reply misread as no longer here (ticket 4411)\"}")))
    @APIResponse(responseCode = "200", description = "Released", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "released", value = "{\"suppression\":{\"id\":4711,\"state\":\"RELEASED\",\"release\":"
                    + "{\"by\":\"ops-jane\",\"reason\":\"vacation reply misread\",\"at\":\"2026-11-24T09:12:00Z\"}},"
                    + "\"sentToSfmc\":true,\"rowsReleased\":1,\"note\":\"deleted from data extension ASL_ACME in SFMC\"}")))
    @APIResponse(responseCode = "404", description = "No such row")
    @APIResponse(responseCode = "409", description = "The row is not in effect (only ADDED and VERIFIED rows can be released)")
    @APIResponse(responseCode = "422", description = "No reason given")
    @APIResponse(responseCode = "502", description = "SFMC refused the delete; nothing changed")
    @APIResponse(responseCode = "503", description = "SFMC could not be reached; nothing changed")
    public SuppressionRelease.Released release(@PathParam("id") long id, Reason body) {
        return release.release(id, actor(), body == null ? null : body.reason());
    }

    @POST
    @Path("/requeue")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OPERATE)
    @Operation(summary = "Re-queue FAILED rows", description = "One row (id), a run's (runId) or a data extension's "
            + "(dataExtension) FAILED rows become PENDING with their attempts reset; the flusher sends them at once.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = {
            @ExampleObject(name = "row", value = "{\"id\":4711,\"reason\":\"SFMC fixed the column\"}"),
            @ExampleObject(name = "run", value = "{\"runId\":\"2026-11-23\",\"reason\":\"SFMC outage is over\"}"),
            @ExampleObject(name = "dataExtension", value = "{\"dataExtension\":\"ASL_ACME\",\"reason\":\"list recreated\"}")}))
    @APIResponse(responseCode = "200", description = "How many rows were re-queued", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "requeued",
            value = "{\"scope\":\"run\",\"subject\":\"2026-11-23\",\"rows\":3}")))
    @APIResponse(responseCode = "400", description = "Not exactly one of id, runId, dataExtension")
    @APIResponse(responseCode = "422", description = "No reason given")
    public OperatorActions.Requeued requeue(Requeue body) {
        if (body == null) {
            throw ProblemException.badRequest("Give one of id, runId or dataExtension, and a reason");
        }
        int named = (body.id() == null ? 0 : 1) + (blank(body.runId()) ? 0 : 1) + (blank(body.dataExtension()) ? 0 : 1);
        if (named != 1) {
            throw ProblemException.badRequest("Give exactly one of id, runId or dataExtension");
        }
        if (body.id() != null) {
            return actions.requeue(SuppressionOutbox.RequeueScope.ROW, body.id().toString(), actor(), body.reason());
        }
        return blank(body.runId())
                ? actions.requeue(SuppressionOutbox.RequeueScope.DATA_EXTENSION, body.dataExtension(), actor(), body.reason())
                : actions.requeue(SuppressionOutbox.RequeueScope.RUN, body.runId(), actor(), body.reason());
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OPERATE)
    @Operation(summary = "Suppress one address on an operator's word", description = "Queues the address for a mapped list "
            + "(origin operator, with this key's name and the reason as its note), unless it is on that list already.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "add",
            value = "{\"dataExtension\":\"ASL_ACME\",\"address\":\"jane.doe@acme.org\",\"reason\":\"asked by phone (ticket 4412)\"}")))
    @APIResponse(responseCode = "200", description = "Queued, or on the list already (queued false)")
    @APIResponse(responseCode = "400", description = "Not a mapped list")
    @APIResponse(responseCode = "422", description = "An invalid address, or no reason")
    public Added add(Add body) {
        if (body == null) {
            throw ProblemException.badRequest("Give dataExtension, address and reason");
        }
        return new Added(body.dataExtension(), actions.add(body.dataExtension(), body.address(), actor(), body.reason()));
    }

    @POST
    @Path("/import")
    @Consumes(TEXT_CSV)
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OPERATE)
    @Operation(summary = "Import existing suppressions from a CSV", description = "The body is a CSV with the header "
            + "Email Address or Email Address,Date Added (YYYY-MM-DD; today when empty), read as a stream. Every address is "
            + "validated like intake; bad lines are listed and skipped, good ones queued (origin import, with file and "
            + "line). An address already on the list is not queued again, so a second import of the file adds nothing.")
    @RequestBody(content = @Content(mediaType = TEXT_CSV, examples = @ExampleObject(name = "csv",
            value = "Email Address,Date Added\r\njane.doe@acme.org,2026-10-01\r\nsam@acme.org,\r\n")))
    @APIResponse(responseCode = "200", description = "What was taken and every bad line", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "imported",
            value = "{\"file\":\"legacy.csv\",\"dataExtensionKey\":\"ASL_ACME\",\"lines\":3,\"queued\":1,\"alreadyListed\":1,"
                    + "\"badLines\":[{\"line\":4,\"message\":\"Email Address is not an email address\"}]}")))
    @APIResponse(responseCode = "400", description = "Not a mapped list, or a wrong header")
    @APIResponse(responseCode = "422", description = "No reason given")
    public OperatorActions.Imported importCsv(@QueryParam("dataExtension") @Parameter(example = "ASL_ACME") String dataExtension,
                                              @QueryParam("file") @Parameter(example = "legacy.csv") String file,
                                              @QueryParam("reason") @Parameter(example = "suppressions of the old ESP") String reason,
                                              InputStream body) throws IOException {
        return actions.importCsv(dataExtension, file, body, actor(), reason);
    }

    private String actor() {
        return identity.getPrincipal().getName();
    }

    private static boolean wantsCsv(HttpHeaders headers) {
        for (MediaType type : headers.getAcceptableMediaTypes()) {
            if (type.isWildcardType()) {
                return false;
            }
            if (type.getType().equals("text") && type.getSubtype().equals("csv")) {
                return true;
            }
            if (type.isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
                return false;
            }
        }
        return false;
    }

    static int parseLimit(String limit) {
        try {
            return Integer.parseInt(limit.trim());
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest("limit must be a number between 1 and " + SuppressionCatalog.MAX_LIMIT);
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
