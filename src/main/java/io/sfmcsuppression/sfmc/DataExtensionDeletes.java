package io.sfmcsuppression.sfmc;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.w3c.dom.Element;

import io.quarkus.logging.Log;

/**
 * Deletes one data extension row over SOAP, for both live clients (REST and SOAP writes): a
 * {@code DeleteRequest} with its required (empty) {@code DeleteOptions} and one
 * {@code DataExtensionObject} naming the list's {@code CustomerKey} and the row's primary key in
 * {@code Keys/Key} (etframework.wsdl; Salesforce's "Delete a row from a data extension" sample).
 */
@ApplicationScoped
class DataExtensionDeletes {

    private final SfmcSoap soap;
    private final SfmcConfig config;
    private final Redactor redactor;

    DataExtensionDeletes(SfmcSoap soap, SfmcConfig config, Redactor redactor) {
        this.soap = soap;
        this.config = config;
        this.redactor = redactor;
    }

    SfmcClient.DeleteResult delete(String dataExtensionKey, String email) {
        SoapXml.Response response;
        try {
            response = soap.write(Optional.empty(), "Delete", request(dataExtensionKey, email));
        } catch (SfmcException e) {
            if (e.transientFailure()) {
                throw e;
            }
            return new SfmcClient.DeleteResult(false, e.getMessage());
        }
        if ("OK".equals(response.overallStatus())) {
            return new SfmcClient.DeleteResult(true, null);
        }
        String refused = response.results().stream().map(SoapSfmcClient::describe).findFirst()
                .orElse("OverallStatus " + response.overallStatus());
        Log.warnf("SFMC refused the delete of a row of %s: %s", dataExtensionKey, refused);
        return new SfmcClient.DeleteResult(false, "SFMC SOAP " + redactor.safe(response.overallStatus(), 100) + ": "
                + redactor.safe(refused, 500));
    }

    SoapRequest request(String dataExtensionKey, String email) {
        SoapRequest m = SoapRequest.of("DeleteRequest");
        m.add(m.root(), "Options");
        Element object = m.addTyped(m.root(), "Objects", "DataExtensionObject");
        m.add(object, "CustomerKey", dataExtensionKey);
        Element key = m.add(m.add(object, "Keys"), "Key");
        m.add(key, "Name", config.emailField());
        m.add(key, "Value", email);
        return m;
    }
}
