package io.sfmcsuppression.sfmc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

class SoapXmlTest {

    private static final String RETRIEVE = """
            <?xml version="1.0" encoding="utf-8"?>
            <soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"
                           xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
              <soap:Header><wsa:Action xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing">RetrieveResponse</wsa:Action></soap:Header>
              <soap:Body>
                <RetrieveResponseMsg xmlns="http://exacttarget.com/wsdl/partnerAPI">
                  <OverallStatus> MoreDataAvailable </OverallStatus>
                  <RequestID>req-1</RequestID>
                  <Results xsi:type="Subscriber">
                    <Client><ID>1234</ID></Client>
                    <SubscriberKey>jane@acme.org</SubscriberKey>
                    <Status>Unsubscribed</Status>
                    <Attributes><Name>First</Name><Value>Jane</Value></Attributes>
                    <Attributes><Name>Last</Name><Value>Doe</Value></Attributes>
                    <Note><![CDATA[a & b]]></Note>
                  </Results>
                  <Results xsi:type="Subscriber">
                    <SubscriberKey>joe@acme.org</SubscriberKey>
                    <Status>Active</Status>
                    <Empty/>
                  </Results>
                </RetrieveResponseMsg>
              </soap:Body>
            </soap:Envelope>""";

    @Test
    void resultsAreFlattenedToDottedPathsInDocumentOrderFirstValueWinning() throws Exception {
        SoapXml.Response response = SoapXml.parse(bytes(RETRIEVE));

        assertThat(response.fault()).isEmpty();
        assertThat(response.overallStatus()).isEqualTo("MoreDataAvailable");
        assertThat(response.requestId()).isEqualTo("req-1");
        assertThat(response.results()).hasSize(2);
        assertThat(response.results().get(0)).containsExactly(
                Map.entry("Client.ID", "1234"), Map.entry("SubscriberKey", "jane@acme.org"),
                Map.entry("Status", "Unsubscribed"), Map.entry("Attributes.Name", "First"),
                Map.entry("Attributes.Value", "Jane"), Map.entry("Note", "a & b"));
        assertThat(response.results().get(1)).containsExactly(
                Map.entry("SubscriberKey", "joe@acme.org"), Map.entry("Status", "Active"), Map.entry("Empty", ""));
    }

    @Test
    void aFaultCarriesItsStringAndThePartnerApiCode() throws Exception {
        String fault = """
                <soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">
                  <soap:Body>
                    <soap:Fault>
                      <faultcode>soap:Client</faultcode>
                      <faultstring> Rate Limited </faultstring>
                      <detail><apifault xmlns="urn:fault.partner.exacttarget.com"><Code>17</Code><Message>slow down</Message></apifault></detail>
                    </soap:Fault>
                  </soap:Body>
                </soap:Envelope>""";

        SoapXml.Response response = SoapXml.parse(bytes(fault));

        assertThat(response.fault()).isPresent();
        assertThat(response.fault().get().faultString()).isEqualTo(" Rate Limited ".trim());
        assertThat(response.fault().get().apiCode()).contains("17");
        assertThat(response.fault().get().rateLimited()).isTrue();
        assertThat(response.results()).isEmpty();
    }

    @Test
    void aTokenExpiredFaultWithoutDetailIsRecognised() throws Exception {
        String fault = """
                <soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault>
                <faultcode>soap:Client</faultcode><faultstring>Token Expired</faultstring></soap:Fault></soap:Body></soap:Envelope>""";

        SoapXml.Response response = SoapXml.parse(bytes(fault));

        assertThat(response.fault().orElseThrow().tokenExpired()).isTrue();
        assertThat(response.fault().get().apiCode()).isEmpty();
    }

    @Test
    void aDoctypeIsRefusedSoNoEntityIsExpanded() {
        String xxe = """
                <?xml version="1.0"?>
                <!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
                <soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>
                <RetrieveResponseMsg xmlns="http://exacttarget.com/wsdl/partnerAPI"><OverallStatus>&secret;</OverallStatus>
                </RetrieveResponseMsg></soap:Body></soap:Envelope>""";

        assertThatThrownBy(() -> SoapXml.parse(bytes(xxe))).isInstanceOf(SoapXml.MalformedException.class);
    }

    @Test
    void bodiesThatAreNotAPartnerApiEnvelopeAreMalformed() {
        assertMalformed("not xml at all", "not well-formed XML");
        assertMalformed("<html><body>502 Bad Gateway</body></html>", "not a SOAP 1.1 envelope (root element html)");
        assertMalformed("<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"/>", "without a Body");
        assertMalformed("<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body> </soap:Body></soap:Envelope>",
                "empty SOAP Body");
        assertMalformed("<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body><Other/></soap:Body></soap:Envelope>",
                "unexpected element Other");
        assertMalformed("<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body>"
                        + "<RetrieveResponseMsg xmlns=\"http://exacttarget.com/wsdl/partnerAPI\"><RequestID>1</RequestID></RetrieveResponseMsg>"
                        + "</soap:Body></soap:Envelope>", "RetrieveResponseMsg without OverallStatus");
        String retrieve = "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body>"
                + "<RetrieveResponseMsg xmlns=\"http://exacttarget.com/wsdl/partnerAPI\"><OverallStatus>OK</OverallStatus>"
                + "<Results><SubscriberKey>a@acme.org</SubscriberKey></Results>";
        assertMalformed(retrieve + "<Results><SubscriberKey>b@acme", "not well-formed XML");
        assertMalformed(retrieve + "</RetrieveResponseMsg></soap:Body>", "not well-formed XML");
    }

    private static void assertMalformed(String body, String message) {
        assertThatThrownBy(() -> SoapXml.parse(bytes(body))).isInstanceOf(SoapXml.MalformedException.class)
                .hasMessageContaining(message);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
