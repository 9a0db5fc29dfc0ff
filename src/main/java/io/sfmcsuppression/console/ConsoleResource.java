package io.sfmcsuppression.console;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.FormAuthenticationMechanism;
import io.sfmcsuppression.config.AppConfig;
import io.sfmcsuppression.export.DeliverableFiles;
import io.sfmcsuppression.run.RunIds;
import io.sfmcsuppression.run.RunState;
import io.sfmcsuppression.security.Roles;
import io.sfmcsuppression.suppressions.SuppressionCsv;
import io.sfmcsuppression.suppressions.SuppressionFilter;
import io.sfmcsuppression.web.ProblemException;

/**
 * The operations console: server-rendered pages under {@code /console} for people with a
 * {@code read} key, signed in through the form (Quarkus form authentication, session in an
 * encrypted cookie). Every POST carries the CSRF token ({@link ConsoleCsrf}); addresses travel
 * in POST bodies only, never in a URL.
 */
@jakarta.ws.rs.Path("/console")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Roles.READ)
@CsrfChecked
public class ConsoleResource {

    @CheckedTemplate(basePath = "console")
    static class Templates {
        static native TemplateInstance login(boolean failed, boolean signedOut);

        static native TemplateInstance runs(Viewer viewer, ConsoleViews.RunsPage page);

        static native TemplateInstance run(Viewer viewer, ConsoleViews.RunPage page, String notice);

        static native TemplateInstance status(Viewer viewer, ConsoleViews.StatusPage page, String notice);

        static native TemplateInstance suppressions(Viewer viewer, ConsoleViews.SuppressionsPage page, String notice);

        static native TemplateInstance optOuts(Viewer viewer, ConsoleViews.OptOutsPage page);

        static native TemplateInstance history(Viewer viewer, ConsoleViews.HistoryPage page);

        static native TemplateInstance error(int status, String title, String detail);
    }

    private final ConsoleViews views;
    private final DeliverableFiles files;
    private final SuppressionCsv csv;
    private final AppConfig app;
    private final SecurityIdentity identity;

    ConsoleResource(ConsoleViews views, DeliverableFiles files, SuppressionCsv csv, AppConfig app, SecurityIdentity identity) {
        this.views = views;
        this.files = files;
        this.csv = csv;
        this.app = app;
        this.identity = identity;
    }

    @GET
    public Response home() {
        return Response.seeOther(URI.create("/console/runs")).build();
    }

    @GET
    @jakarta.ws.rs.Path("/login")
    @PermitAll
    public TemplateInstance login(@QueryParam("failed") boolean failed, @QueryParam("signed-out") boolean signedOut) {
        return Templates.login(failed, signedOut);
    }

    @POST
    @jakarta.ws.rs.Path("/sign-out")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @PermitAll
    public Response signOut() {
        if (!identity.isAnonymous()) {
            FormAuthenticationMechanism.logout(identity);
        }
        return Response.seeOther(URI.create("/console/login?signed-out=true")).build();
    }

    @GET
    @jakarta.ws.rs.Path("/runs")
    public TemplateInstance runs(@QueryParam("state") String state, @QueryParam("after") String after) {
        return Templates.runs(viewer(), views.runs(parseState(state), Optional.ofNullable(after)));
    }

    @GET
    @jakarta.ws.rs.Path("/runs/{runId}")
    public TemplateInstance run(@PathParam("runId") String runId, @QueryParam("failed-after") @DefaultValue("0") long failedAfter,
                                @QueryParam("done") String done, @QueryParam("rows") @DefaultValue("0") int rows) {
        return Templates.run(viewer(), views.run(RunIds.require(runId), failedAfter), ConsoleNotice.of(done, rows));
    }

    @GET
    @jakarta.ws.rs.Path("/runs/{runId}/deliverables/{file}")
    @Produces("text/csv")
    public Response download(@PathParam("runId") String runId, @PathParam("file") String file) {
        Path onDisk = files.recorded(runId, file);
        return Response.ok(onDisk.toFile(), "text/csv; charset=UTF-8")
                .header("Content-Disposition", "attachment; filename=\"" + onDisk.getFileName() + "\"")
                .build();
    }

    @GET
    @jakarta.ws.rs.Path("/status")
    public TemplateInstance status(@QueryParam("done") String done) {
        return Templates.status(viewer(), views.status(), ConsoleNotice.of(done, 0));
    }

    @GET
    @jakarta.ws.rs.Path("/suppressions")
    public TemplateInstance suppressions(@BeanParam SuppressionQueryParams filter, @QueryParam("cursor") String cursor,
                                         @QueryParam("done") String done, @QueryParam("rows") @DefaultValue("0") int rows) {
        return Templates.suppressions(viewer(), views.suppressions(filter.query(), cursor), ConsoleNotice.of(done, rows));
    }

    /** One address's rows; the address comes in the body, like the history's. */
    @POST
    @jakarta.ws.rs.Path("/suppressions")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public TemplateInstance suppressionsOf(@FormParam("address") String address) {
        return Templates.suppressions(viewer(), views.suppressionsOf(address == null ? "" : address), null);
    }

    /** The whole filtered list as the API's CSV, streamed (constant memory whatever its length). */
    @GET
    @jakarta.ws.rs.Path("/suppressions/export")
    @Produces("text/csv")
    public Response exportSuppressions(@BeanParam SuppressionQueryParams filter) {
        SuppressionFilter parsed = filter.query().filter(app.zone());
        StreamingOutput body = out -> csv.write(parsed, out);
        return Response.ok(body, "text/csv; charset=UTF-8")
                .header("Content-Disposition", "attachment; filename=\"suppressions.csv\"").build();
    }

    @GET
    @jakarta.ws.rs.Path("/opt-outs")
    public TemplateInstance optOuts(@QueryParam("overdue") boolean overdue) {
        return Templates.optOuts(viewer(), views.optOuts(overdue));
    }

    @GET
    @jakarta.ws.rs.Path("/history")
    public TemplateInstance historyForm() {
        return Templates.history(viewer(), views.noSearch());
    }

    /** The address comes in the body, so that it never lands in a URL, a browser history or an access log. */
    @POST
    @jakarta.ws.rs.Path("/history")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public TemplateInstance history(@FormParam("email") String email) {
        return Templates.history(viewer(), views.history(email));
    }

    /**
     * Not signed in, the session timed out, or its key is no longer configured: to the sign-in
     * form, which comes back here afterwards.
     */
    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response signIn(RuntimeException e) {
        return Response.seeOther(URI.create("/console/login")).build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return errorPage(403, "Not allowed", "Your API key does not carry the role this page needs (" + Roles.READ + ").");
    }

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return errorPage(e.status(), e.toProblem(null).title(), e.toProblem(null).detail());
    }

    /** The console's error page (for its resources' own exception mappers). */
    static Response errorPage(int status, String title, String detail) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(Templates.error(status, title, detail).render()).build();
    }

    private Viewer viewer() {
        return Viewer.of(identity);
    }

    private static Optional<RunState> parseState(String state) {
        if (state == null || state.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(RunState.valueOf(state.trim()));
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("state must be one of " + List.of(RunState.values()) + ".");
        }
    }
}
