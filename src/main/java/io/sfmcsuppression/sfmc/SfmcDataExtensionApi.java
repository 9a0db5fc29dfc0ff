package io.sfmcsuppression.sfmc;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * SFMC's filtered, paged read of data-extension rows, the route FuelSDK-Java's
 * {@code ETDataExtension} uses. Built by {@link DataExtensionRows} at run time, because the base URL
 * may come from the token response; nothing outside this package calls it.
 */
@RegisterRestClient(configKey = "sfmc-rest")
@Path("/data/v1/customobjectdata/key")
interface SfmcDataExtensionApi {

    @GET
    @Path("/{key}/rowset")
    @Produces(MediaType.APPLICATION_JSON)
    Response rowset(@PathParam("key") String dataExtensionKey, @QueryParam("$filter") String filter,
                    @QueryParam("$page") int page, @QueryParam("$pageSize") int pageSize,
                    @HeaderParam("Authorization") String authorization);
}
