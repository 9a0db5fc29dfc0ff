package io.sfmcsuppression.sfmc;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Form;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** SFMC's client-credentials token endpoint; built by {@link SfmcHttp}, used only by {@link SfmcTokens}. */
@Path("/v2/token")
interface SfmcAuthApi {

    /** grant_type, client_id, client_secret and, for a business unit, account_id, as a form. */
    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    Response token(Form form);
}
