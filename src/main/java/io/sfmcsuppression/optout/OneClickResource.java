package io.sfmcsuppression.optout;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.sfmcsuppression.web.ProblemException;

/**
 * The public address of RFC 8058 one-click unsubscribe links (minted by
 * {@code POST /api/v1/consent/unsubscribe-links}). A POST with {@code List-Unsubscribe=One-Click} unsubscribes; a GET, which link
 * scanners send, only shows a page whose button posts.
 */
@Path("/unsubscribe/one-click")
@Tag(name = "consent")
public class OneClickResource {

    private final OneClickUnsubscribe oneClick;

    OneClickResource(OneClickUnsubscribe oneClick) {
        this.oneClick = oneClick;
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_PLAIN)
    @PermitAll
    @Operation(summary = "One-click unsubscribe (RFC 8058), no API key",
            description = "Form body List-Unsubscribe=One-Click. Records the opt-out synchronously; a link posted twice records it once.")
    @APIResponse(responseCode = "200", description = "Recorded")
    @APIResponse(responseCode = "400", description = "Not a one-click body, or a malformed, forged or altered token; nothing recorded")
    @APIResponse(responseCode = "410", description = "The link has expired; nothing recorded")
    public Response unsubscribe(@QueryParam("t") String token, @FormParam("List-Unsubscribe") String value) {
        if (!"One-Click".equals(value)) {
            throw ProblemException.badRequest("The body must be List-Unsubscribe=One-Click.");
        }
        try {
            oneClick.unsubscribe(token);
        } catch (OneClickTokens.RefusedException e) {
            throw refused(e);
        }
        return Response.ok("You are unsubscribed.\n").build();
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    @PermitAll
    @Operation(summary = "The page behind a one-click link: never unsubscribes, its button posts")
    @APIResponse(responseCode = "200", description = "A page with an Unsubscribe button")
    @APIResponse(responseCode = "400", description = "The link is not valid")
    public Response page(@QueryParam("t") String token) {
        if (!oneClick.valid(token)) {
            return Response.status(400).type(MediaType.TEXT_HTML).entity(page("This unsubscribe link is not valid or has expired.", null)).build();
        }
        return Response.ok(page("Unsubscribe from these emails?", token)).build();
    }

    private static ProblemException refused(OneClickTokens.RefusedException e) {
        return e.refusal == OneClickTokens.Refusal.EXPIRED
                ? new ProblemException(410, "Gone", "This unsubscribe link has expired; nothing was recorded.")
                : ProblemException.badRequest("This unsubscribe link is not valid; nothing was recorded.");
    }

    /** A page with nothing personal on it; the token is base64url, safe in an attribute. */
    private static String page(String message, String token) {
        String form = token == null ? "" : """
                <form method="post" action="one-click?t=%s">
                  <input type="hidden" name="List-Unsubscribe" value="One-Click">
                  <button type="submit">Unsubscribe</button>
                </form>""".formatted(token);
        return """
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
                <meta name="robots" content="noindex"><title>Unsubscribe</title>
                <style>body{font:1.1rem/1.5 system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#111}
                button{font:inherit;padding:.6rem 1.4rem;background:#0b57d0;color:#fff;border:0;border-radius:.3rem}
                button:focus{outline:3px solid #111;outline-offset:2px}</style></head>
                <body><main><h1>%s</h1>%s</main></body></html>""".formatted(message, form);
    }
}
