package io.sfmcsuppression.sfmc;

import java.util.List;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * SFMC's synchronous rowset upsert. Built by {@link LiveSfmcClient} at run time, because the base
 * URL may come from the token response; nothing outside this package calls it.
 */
@RegisterRestClient(configKey = "sfmc-rest")
@Path("/hub/v1/dataevents")
interface SfmcRowsetApi {

    /** {"keys": {...}, "values": {...}}, one per row. */
    record RowsetItem(Map<String, String> keys, Map<String, String> values) {
    }

    @POST
    @Path("/key:{key}/rowset")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Response upsertRowset(@PathParam("key") String dataExtensionKey, @HeaderParam("Authorization") String authorization,
                          List<RowsetItem> rows);
}
