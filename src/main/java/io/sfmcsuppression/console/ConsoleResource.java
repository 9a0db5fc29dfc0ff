package io.sfmcsuppression.console;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
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

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.FormAuthenticationMechanism;
import io.sfmcsuppression.export.DeliverableFiles;
import io.sfmcsuppression.run.RunIds;
import io.sfmcsuppression.run.RunState;
import io.sfmcsuppression.security.Roles;
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

        static native TemplateInstance run(Viewer viewer, ConsoleViews.RunPage page);

        static native TemplateInstance status(Viewer viewer, ConsoleViews.StatusPage page);

        static native TemplateInstance optOuts(Viewer viewer, ConsoleViews.OptOutsPage page);

        static native TemplateInstance history(Viewer viewer, ConsoleViews.HistoryPage page);

        static native TemplateInstance error(int status, String title, String detail);
    }

    private final ConsoleViews views;
    private final DeliverableFiles files;
    private final SecurityIdentity identity;

    ConsoleResource(ConsoleViews views, DeliverableFiles files, SecurityIdentity identity) {
        this.views = views;
        this.files = files;
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
    public TemplateInstance run(@PathParam("runId") String runId, @QueryParam("failed-after") @DefaultValue("0") long failedAfter) {
        return Templates.run(viewer(), views.run(RunIds.require(runId), failedAfter));
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
    public TemplateInstance status() {
        return Templates.status(viewer(), views.status());
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
        return page(403, "Not allowed", "Your API key does not carry the role this page needs (" + Roles.READ + ").");
    }

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return page(e.status(), e.toProblem(null).title(), e.toProblem(null).detail());
    }

    private static Response page(int status, String title, String detail) {
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
