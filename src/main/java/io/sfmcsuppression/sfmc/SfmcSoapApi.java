package io.sfmcsuppression.sfmc;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

/** The partner API's one endpoint, {@code {soap_instance_url}Service.asmx}; built by {@link SfmcHttp}. */
@Path("/Service.asmx")
interface SfmcSoapApi {

    /** One SOAP 1.1 envelope; {@code action} is Retrieve, Create, Update or Execute. */
    @POST
    @Consumes("text/xml; charset=utf-8")
    Response post(@HeaderParam("SOAPAction") String action, byte[] envelope);
}
