package io.sfmcsuppression.consent;

import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import com.github.tomakehurst.wiremock.matching.StringValuePattern;

import io.sfmcsuppression.support.PartnerApiSchema;
import io.sfmcsuppression.support.SfmcContract;
import io.sfmcsuppression.support.SoapStandIn;

/**
 * SOAP responses shaped like the envelopes in the public SFMC documentation (Retrieve of
 * Subscriber and ListSubscriber, Execute LogUnsubEvent, the "Rate Limited" fault of
 * mc-apis/SOAP/rate-limiting), and request matchers for them.
 */
public final class Soap {

    private Soap() {
    }

    public static final String ENDPOINT = "/Service.asmx";
    /** Prefixes of the XPath matchers: the namespaces SFMC requires, never local-name(). */
    public static final Map<String, String> NS = Map.of("soap", PartnerApiSchema.SOAP_NS, "p", PartnerApiSchema.PARTNER_NS,
            "fo", PartnerApiSchema.FUELOAUTH_NS);

    /** An envelope carrying a fueloauth token (that the stand-in issued it, {@link SfmcContract} checks). */
    public static StringValuePattern authorized() {
        return WireMock.matchingXPath("/soap:Envelope/soap:Header/fo:fueloauth[starts-with(text(), 'tok-')]", NS);
    }

    /** Matches the partner-API path of the body, e.g. {@code p:RetrieveRequestMsg/p:RetrieveRequest[p:ObjectType='List']}. */
    public static StringValuePattern body(String path) {
        return WireMock.matchingXPath("/soap:Envelope/soap:Body/" + path, NS);
    }

    /** A Retrieve of one object type. */
    public static MappingBuilder retrieveOf(String objectType) {
        return WireMock.post(WireMock.urlEqualTo(ENDPOINT)).withHeader("SOAPAction", WireMock.equalTo("Retrieve"))
                .withRequestBody(authorized())
                .withRequestBody(body("p:RetrieveRequestMsg/p:RetrieveRequest[p:ObjectType='" + objectType + "']"));
    }

    public static RequestPatternBuilder retrievesOf(String objectType) {
        return WireMock.postRequestedFor(WireMock.urlEqualTo(ENDPOINT)).withHeader("SOAPAction", WireMock.equalTo("Retrieve"))
                .withRequestBody(body("p:RetrieveRequestMsg/p:RetrieveRequest[p:ObjectType='" + objectType + "']"));
    }

    public static RequestPatternBuilder allSoapCalls() {
        return WireMock.postRequestedFor(WireMock.urlEqualTo(ENDPOINT));
    }

    /** A 200 answer; a Retrieve answer keeps only the results that the request's filter values select. */
    public static ResponseDefinitionBuilder ok(String body) {
        return WireMock.aResponse().withStatus(200).withHeader("Content-Type", "text/xml; charset=utf-8").withBody(body)
                .withTransformers(SoapStandIn.RETRIEVE_FILTER);
    }

    public static String envelope(String body) {
        return """
                <?xml version="1.0" encoding="utf-8"?>
                <soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd" xmlns:wsu="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd">
                   <soap:Header>
                      <wsa:Action>%s</wsa:Action>
                      <wsa:MessageID>urn:uuid:%s</wsa:MessageID>
                      <wsa:RelatesTo>urn:uuid:%s</wsa:RelatesTo>
                      <wsa:To>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</wsa:To>
                      <wsse:Security>
                         <wsu:Timestamp wsu:Id="Timestamp-%s">
                            <wsu:Created>2026-11-23T15:00:00Z</wsu:Created>
                            <wsu:Expires>2026-11-23T15:05:00Z</wsu:Expires>
                         </wsu:Timestamp>
                      </wsse:Security>
                   </soap:Header>
                   <soap:Body>
                %s
                   </soap:Body>
                </soap:Envelope>""".formatted("Response", UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), body);
    }

    public static String retrieveResponse(String overallStatus, String requestId, String... results) {
        return envelope("""
                      <RetrieveResponseMsg xmlns="http://exacttarget.com/wsdl/partnerAPI">
                         <OverallStatus>%s</OverallStatus>
                         <RequestID>%s</RequestID>
                %s
                      </RetrieveResponseMsg>""".formatted(overallStatus, requestId, String.join("\n", results)));
    }

    public static String retrieved(String... results) {
        return retrieveResponse("OK", UUID.randomUUID().toString(), results);
    }

    public static String subscriber(String key, String status) {
        return subscriber(key, key.contains("@") ? key : "someone@example.com", status);
    }

    public static String subscriber(String key, String email, String status) {
        return subscriberIn("510000123", key, email, status);
    }

    /** A row of the All Subscribers of business unit {@code mid}, as a QueryAllAccounts retrieve lists one per unit. */
    public static String subscriberIn(String mid, String key, String email, String status) {
        String unsubscribed = status.equals("Unsubscribed") ? "<UnsubscribedDate>2026-10-02T09:14:00</UnsubscribedDate>" : "";
        return """
                            <Results xsi:type="Subscriber">
                               <Client><ID>%s</ID></Client>
                               <PartnerKey xsi:nil="true" />
                               <CreatedDate>2025-03-14T10:22:31.57</CreatedDate>
                               <ObjectID xsi:nil="true" />
                               <EmailAddress>%s</EmailAddress>
                               <SubscriberKey>%s</SubscriberKey>
                               %s
                               <Status>%s</Status>
                               <EmailTypePreference>HTML</EmailTypePreference>
                            </Results>""".formatted(mid, email, key, unsubscribed, status);
    }

    public static String listSubscriber(String listId, String key, String status) {
        return """
                            <Results xsi:type="ListSubscriber">
                               <PartnerKey xsi:nil="true" />
                               <ModifiedDate>2026-10-05T11:00:00</ModifiedDate>
                               <ObjectID xsi:nil="true" />
                               <Status>%s</Status>
                               <ListID>%s</ListID>
                               <SubscriberKey>%s</SubscriberKey>
                            </Results>""".formatted(status, listId, key);
    }

    public static String list(String id, String customerKey) {
        return """
                            <Results xsi:type="List">
                               <Client><ID>510000123</ID></Client>
                               <PartnerKey xsi:nil="true" />
                               <ID>%s</ID>
                               <ObjectID xsi:nil="true" />
                               <CustomerKey>%s</CustomerKey>
                               <ListName>%s</ListName>
                            </Results>""".formatted(id, customerKey, customerKey);
    }

    public static String sentEvent(String type, String sendId, String key) {
        return """
                            <Results xsi:type="%s">
                               <Client><ID>510000123</ID></Client>
                               <PartnerKey xsi:nil="true" />
                               <ObjectID xsi:nil="true" />
                               <SendID>%s</SendID>
                               <SubscriberKey>%s</SubscriberKey>
                               <EventDate>2026-11-0%sT08:00:00</EventDate>
                               <EventType>%s</EventType>
                            </Results>""".formatted(type, sendId, key, Math.abs(sendId.hashCode() % 9) + 1,
                type.equals("SentEvent") ? "Sent" : "NotSent");
    }

    /** SentEvents and NotSentEvents for one key: {@code sent} sends and {@code notSent} further attempts. */
    public static String[] tracking(String type, String key, String... sendIds) {
        return Arrays.stream(sendIds).map(id -> sentEvent(type, id, key)).toArray(String[]::new);
    }

    public static String executed(String statusMessage) {
        return envelope("""
                      <ExecuteResponseMsg xmlns="http://exacttarget.com/wsdl/partnerAPI">
                         <OverallStatus>OK</OverallStatus>
                         <RequestID>%s</RequestID>
                         <Results>
                            <StatusCode>OK</StatusCode>
                            <StatusMessage>%s</StatusMessage>
                         </Results>
                      </ExecuteResponseMsg>""".formatted(UUID.randomUUID(), statusMessage));
    }

    public static String updated(String key) {
        return envelope("""
                      <UpdateResponse xmlns="http://exacttarget.com/wsdl/partnerAPI">
                         <Results>
                            <StatusCode>OK</StatusCode>
                            <StatusMessage>Updated Subscriber</StatusMessage>
                            <OrdinalID>0</OrdinalID>
                            <Object xsi:type="Subscriber">
                               <PartnerKey xsi:nil="true" />
                               <ObjectID xsi:nil="true" />
                               <SubscriberKey>%s</SubscriberKey>
                            </Object>
                         </Results>
                         <RequestID>%s</RequestID>
                         <OverallStatus>OK</OverallStatus>
                      </UpdateResponse>""".formatted(key, UUID.randomUUID()));
    }

    public static String fault(String faultString, String code) {
        String detail = code == null ? "" : """
                            <detail>
                               <apifault xmlns="urn:fault.partner.exacttarget.com">
                                  <Code>%s</Code>
                                  <Message>%s</Message>
                               </apifault>
                            </detail>""".formatted(code, faultString);
        return envelope("""
                      <soap:Fault>
                         <faultcode>soap:%s</faultcode>
                         <faultstring>%s</faultstring>
                         <faultactor>https://webservice.s1.exacttarget.com/Service.asmx</faultactor>
                %s
                      </soap:Fault>""".formatted(code == null ? "Client" : "Server", faultString, detail));
    }

    public static ResponseDefinitionBuilder rateLimited() {
        return WireMock.aResponse().withStatus(500).withHeader("Content-Type", "text/xml; charset=utf-8")
                .withBody(fault("Rate Limited", "17"));
    }

    public static ResponseDefinitionBuilder tokenExpired() {
        return WireMock.aResponse().withStatus(500).withHeader("Content-Type", "text/xml; charset=utf-8")
                .withBody(fault("Token Expired", null));
    }

    public static String joined(String[]... parts) {
        return Arrays.stream(parts).flatMap(Arrays::stream).collect(Collectors.joining("\n"));
    }
}
