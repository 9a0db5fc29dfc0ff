package io.sfmcsuppression.console;

import java.net.URI;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.sfmcsuppression.run.RunIds;
import io.sfmcsuppression.security.Roles;
import io.sfmcsuppression.suppression.SuppressionOutbox.RequeueScope;
import io.sfmcsuppression.suppressions.OperatorActions;
import io.sfmcsuppression.suppressions.SuppressionRelease;
import io.sfmcsuppression.web.ProblemException;

/**
 * The console's buttons for keys with the {@code operate} role: the API's operator actions
 * ({@link OperatorActions}, {@link SuppressionRelease}), each with its mandatory reason and recorded
 * in the operator audit under the signed-in key's name. Each answers with a redirect back to the
 * page it was pressed on (post, redirect, get: a reload repeats nothing), which names what was done
 * ({@link ConsoleNotice}). A refusal (no reason, a run not exported yet, SMTP or SFMC refusing) is
 * the console's error page with the API's explanation; nothing changed.
 */
@Path("/console")
@Consumes(MediaType.APPLICATION_FORM_URLENCODED)
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Roles.OPERATE)
@CsrfChecked
public class ConsoleActionsResource {

    private final OperatorActions actions;
    private final SuppressionRelease release;
    private final SecurityIdentity identity;

    ConsoleActionsResource(OperatorActions actions, SuppressionRelease release, SecurityIdentity identity) {
        this.actions = actions;
        this.release = release;
        this.identity = identity;
    }

    /** The run's FAILED rows, or the one named by {@code id}, back to PENDING. */
    @POST
    @Path("/runs/{runId}/requeue")
    public Response requeue(@PathParam("runId") String runId, @FormParam("id") Long id, @FormParam("reason") String reason) {
        RunIds.require(runId);
        OperatorActions.Requeued done = id == null
                ? actions.requeue(RequeueScope.RUN, runId, actor(), reason)
                : actions.requeue(RequeueScope.ROW, id.toString(), actor(), reason);
        return backTo("/console/runs/" + runId + "?done=requeued&rows=" + done.rows());
    }

    @POST
    @Path("/runs/{runId}/resend-n04")
    public Response resendN04(@PathParam("runId") String runId, @FormParam("reason") String reason) {
        actions.resendN04(RunIds.require(runId), actor(), reason);
        return backTo("/console/runs/" + runId + "?done=resent");
    }

    @POST
    @Path("/runs/{runId}/re-export")
    public Response reexport(@PathParam("runId") String runId, @FormParam("reason") String reason) {
        actions.reexport(RunIds.require(runId), actor(), reason);
        return backTo("/console/runs/" + runId + "?done=reexported");
    }

    @POST
    @Path("/flusher/pause")
    public Response pause(@FormParam("reason") String reason) {
        actions.setFlusherPaused(true, actor(), reason);
        return backTo("/console/status?done=paused");
    }

    @POST
    @Path("/flusher/resume")
    public Response resume(@FormParam("reason") String reason) {
        actions.setFlusherPaused(false, actor(), reason);
        return backTo("/console/status?done=resumed");
    }

    @POST
    @Path("/suppressions/{id}/release")
    public Response release(@PathParam("id") long id, @FormParam("reason") String reason) {
        SuppressionRelease.Released done = release.release(id, actor(), reason);
        return backTo("/console/suppressions?done=released&rows=" + done.rowsReleased());
    }

    /** Not signed in, or the session timed out: to the sign-in form (the action was not done). */
    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response signIn(RuntimeException e) {
        return backTo("/console/login");
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return ConsoleResource.errorPage(403, "Not allowed", "Only a key with the " + Roles.OPERATE
                + " role can act; yours can look (" + Roles.READ + ").");
    }

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return ConsoleResource.errorPage(e.status(), e.toProblem(null).title(), e.toProblem(null).detail());
    }

    private String actor() {
        return identity.getPrincipal().getName();
    }

    private static Response backTo(String location) {
        return Response.seeOther(URI.create(location)).build();
    }
}
