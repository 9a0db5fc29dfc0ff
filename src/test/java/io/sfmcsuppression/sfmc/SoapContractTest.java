package io.sfmcsuppression.sfmc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.sfmcsuppression.support.PartnerApiSchema;

/**
 * Every SOAP operation the service uses, as {@link SfmcDirectory} builds it, validates against our
 * partner-API schema; the schema refuses the mistakes it exists to catch.
 */
class SoapContractTest {

    /** Records what would be sent and answers OK (a second page once, for a Subscriber retrieve). */
    private static final class Recorder extends SfmcSoap {
        final List<String> actions = new ArrayList<>();
        final List<String> envelopes = new ArrayList<>();
        private boolean paged;

        Recorder() {
            super(null, null, null, null, null, null);
        }

        @Override
        SoapXml.Response send(Optional<String> businessUnit, String action, SoapRequest message) {
            actions.add(action);
            envelopes.add(message.toXml("tok-contract"));
            String xml = envelopes.get(envelopes.size() - 1);
            boolean more = !paged && xml.contains("<ObjectType>Subscriber</ObjectType>") && !xml.contains("ContinueRequest");
            paged |= more;
            Map<String, String> result = xml.contains("<ObjectType>List</ObjectType>") ? Map.of("ID", "4242") : Map.of();
            return new SoapXml.Response(Optional.empty(), more ? "MoreDataAvailable" : "OK", "req-1", List.of(result));
        }
    }

    @Test
    void everyOperationTheDirectorySendsValidatesAgainstThePartnerApiSchema() {
        Recorder soap = new Recorder();
        SfmcDirectory directory = new SfmcDirectory(soap, 2);
        Optional<String> mid = Optional.of("510000123");
        List<String> keys = List.of("a@acme.org", "b@acme.org", "c@acme.org");

        directory.subscribers(keys, mid);
        directory.memberships("4242", keys, Optional.empty());
        directory.listId("pl_monthly_newsletter", mid);
        directory.sendHistory(keys, Instant.parse("2026-06-04T00:00:00Z"), mid);
        directory.unsubscribeAccount("a@acme.org", "preference center", mid);
        directory.unsubscribeFromList("a@acme.org", "4242", mid);

        assertThat(soap.actions).contains("Retrieve", "Execute", "Update");
        assertThat(soap.envelopes).anySatisfy(e -> assertThat(e).contains("<ContinueRequest>req-1</ContinueRequest>"));
        for (String envelope : soap.envelopes) {
            assertThat(PartnerApiSchema.violation(bytes(envelope))).as(envelope).isEmpty();
        }
    }

    @Test
    void sentEventFiltersCarrySecondsAndAnExplicitOffset() {
        Recorder soap = new Recorder();
        new SfmcDirectory(soap, 2500).sendHistory(List.of("a@acme.org"), Instant.parse("2026-06-04T00:00:00Z"), Optional.empty());

        assertThat(soap.envelopes).hasSize(2).allSatisfy(e -> assertThat(e)
                .contains("<DateValue>2026-06-04T00:00:00Z</DateValue>"));
        assertThat(soap.envelopes.get(0)).contains("<ObjectType>SentEvent</ObjectType>");
        assertThat(soap.envelopes.get(1)).contains("<ObjectType>NotSentEvent</ObjectType>");
    }

    @Test
    void theDeleteOfADataExtensionRowIsThePublishedDeleteRequestShape() {
        SfmcConfig config = (SfmcConfig) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {SfmcConfig.class}, (proxy, method, args) -> {
                    if (method.getName().equals("emailField")) {
                        return "Email Address";
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        String envelope = new DataExtensionDeletes(null, config, null).request("ASL_ACME", "a@acme.org").toXml("tok-contract");

        assertThat(PartnerApiSchema.violation(bytes(envelope))).as(envelope).isEmpty();
        assertThat(envelope).contains("<DeleteRequest xmlns=\"http://exacttarget.com/wsdl/partnerAPI\"><Options/>"
                + "<Objects xsi:type=\"DataExtensionObject\"><CustomerKey>ASL_ACME</CustomerKey><Keys><Key>"
                + "<Name>Email Address</Name><Value>a@acme.org</Value></Key></Keys></Objects></DeleteRequest>");
        String withoutOptions = envelope.replace("<Options/>", "");
        String keysFirst = envelope.replace("<CustomerKey>ASL_ACME</CustomerKey><Keys>", "<Keys>")
                .replace("</Keys></Objects>", "</Keys><CustomerKey>ASL_ACME</CustomerKey></Objects>");
        String asMsg = envelope.replace("DeleteRequest", "DeleteRequestMsg");
        assertThat(PartnerApiSchema.violation(bytes(withoutOptions))).isPresent();
        assertThat(PartnerApiSchema.violation(bytes(keysFirst))).isPresent();
        assertThat(PartnerApiSchema.violation(bytes(asMsg))).isPresent();
    }

    @Test
    void aWrongElementIsRefused() {
        String wrongMessage = envelope("<UpdateRequestMsg xmlns=\"http://exacttarget.com/wsdl/partnerAPI\">"
                + "<Objects xsi:type=\"Subscriber\"><SubscriberKey>a@acme.org</SubscriberKey></Objects></UpdateRequestMsg>");
        String withoutOptions = envelope("<UpdateRequest xmlns=\"http://exacttarget.com/wsdl/partnerAPI\">"
                + "<Objects xsi:type=\"Subscriber\"><SubscriberKey>a@acme.org</SubscriberKey></Objects></UpdateRequest>");
        String minutesOnly = envelope("<RetrieveRequestMsg xmlns=\"http://exacttarget.com/wsdl/partnerAPI\"><RetrieveRequest>"
                + "<ObjectType>SentEvent</ObjectType><Properties>SendID</Properties><Filter xsi:type=\"SimpleFilterPart\">"
                + "<Property>EventDate</Property><SimpleOperator>greaterThan</SimpleOperator><DateValue>2026-06-04T00:00</DateValue>"
                + "</Filter></RetrieveRequest></RetrieveRequestMsg>");
        String noOffset = minutesOnly.replace("2026-06-04T00:00<", "2026-06-04T00:00:00<");
        String outOfOrder = envelope("<UpdateRequest xmlns=\"http://exacttarget.com/wsdl/partnerAPI\"><Options/>"
                + "<Objects xsi:type=\"Subscriber\"><SubscriberKey>a@acme.org</SubscriberKey><Client><ID>1</ID></Client>"
                + "</Objects></UpdateRequest>");

        assertThat(PartnerApiSchema.violation(bytes(wrongMessage))).hasValueSatisfying(m -> assertThat(m).contains("UpdateRequestMsg"));
        assertThat(PartnerApiSchema.violation(bytes(withoutOptions))).hasValueSatisfying(m -> assertThat(m).contains("Objects"));
        assertThat(PartnerApiSchema.violation(bytes(minutesOnly))).isPresent();
        assertThat(PartnerApiSchema.violation(bytes(noOffset))).isPresent();
        assertThat(PartnerApiSchema.violation(bytes(outOfOrder))).hasValueSatisfying(m -> assertThat(m).contains("Client"));
        // The positive control: the same envelope done right passes.
        assertThat(PartnerApiSchema.violation(bytes(noOffset.replace("00:00:00<", "00:00:00Z<")))).isEmpty();
    }

    private static String envelope(String body) {
        return "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\" "
                + "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><soap:Header>"
                + "<fueloauth xmlns=\"http://exacttarget.com\">tok-x</fueloauth></soap:Header><soap:Body>" + body
                + "</soap:Body></soap:Envelope>";
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
