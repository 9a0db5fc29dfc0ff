package io.sfmcsuppression.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.w3c.dom.Document;

/**
 * The consent baseline, the way a caller without bulk validation checks keys: one SOAP
 * {@code Retrieve} of {@code Subscriber} per key ({@code SubscriberKey equals}), one after the other,
 * over one kept-alive HTTP/1.1 connection, each answer parsed for its {@code Status}.
 */
final class PerKeyRetrieve {

    private static final int WARM_UP = 10;

    private PerKeyRetrieve() {
    }

    /** Seconds for {@code sample} sequential retrieves of the first keys, after {@value #WARM_UP} untimed ones. */
    static double seconds(String baseUri, List<String> keys, int sample) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        long start = 0;
        for (int i = -WARM_UP; i < sample; i++) {
            if (i == 0) {
                start = System.nanoTime();
            }
            String key = keys.get(Math.floorMod(i, keys.size()));
            HttpRequest post = HttpRequest.newBuilder(URI.create(baseUri + "/Service.asmx"))
                    .header("Content-Type", "text/xml; charset=utf-8").header("SOAPAction", "Retrieve")
                    .POST(HttpRequest.BodyPublishers.ofString(envelope(key), StandardCharsets.UTF_8)).build();
            HttpResponse<byte[]> response = http.send(post, HttpResponse.BodyHandlers.ofByteArray());
            Document answer = SoapStandIn.parse(response.body());
            if (response.statusCode() != 200 || !"OK".equals(SoapStandIn.text(answer, "OverallStatus"))) {
                throw new IllegalStateException("Retrieve of one Subscriber answered " + response.statusCode());
            }
            SoapStandIn.text(answer, "Status");
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** The service's Retrieve envelope for one key (keys here are plain e-mail addresses: nothing to escape). */
    private static String envelope(String key) {
        return """
                <?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" \
                xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soap:Header><fueloauth xmlns="http://exacttarget.com">t</fueloauth>\
                </soap:Header><soap:Body><RetrieveRequestMsg xmlns="http://exacttarget.com/wsdl/partnerAPI"><RetrieveRequest>\
                <ObjectType>Subscriber</ObjectType><Properties>SubscriberKey</Properties><Properties>EmailAddress</Properties>\
                <Properties>Status</Properties><Properties>UnsubscribedDate</Properties><Properties>Client.ID</Properties>\
                <Filter xsi:type="SimpleFilterPart"><Property>SubscriberKey</Property><SimpleOperator>equals</SimpleOperator>\
                <Value>%s</Value></Filter></RetrieveRequest></RetrieveRequestMsg></soap:Body></soap:Envelope>""".formatted(key);
    }
}
