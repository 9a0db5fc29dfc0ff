package io.sfmcsuppression.console;

import jakarta.ws.rs.QueryParam;

/** The suppressions page's filter fields, as the form's GET sends them (the same names as the API's query). */
public class SuppressionQueryParams {

    @QueryParam("dataExtension")
    String dataExtension;
    @QueryParam("businessUnit")
    String businessUnit;
    @QueryParam("state")
    String state;
    @QueryParam("reason")
    String reason;
    @QueryParam("origin")
    String origin;
    @QueryParam("createdFrom")
    String createdFrom;
    @QueryParam("createdTo")
    String createdTo;

    SuppressionQuery query() {
        return new SuppressionQuery(dataExtension, businessUnit, state, reason, origin, createdFrom, createdTo);
    }
}
