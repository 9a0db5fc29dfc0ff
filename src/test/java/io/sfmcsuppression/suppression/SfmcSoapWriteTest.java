package io.sfmcsuppression.suppression;

import static io.sfmcsuppression.support.Api.postBatch;
import static io.sfmcsuppression.support.Batches.batch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.sfmcsuppression.support.Batches;
import io.sfmcsuppression.support.Database;
import io.sfmcsuppression.support.InjectWireMock;
import io.sfmcsuppression.support.LiveSfmcProfile;
import io.sfmcsuppression.support.PartnerApiSchema;
import io.sfmcsuppression.support.SfmcWireMock;

/** SFMC_SUPPRESSION_WRITE=soap end to end: DataExtensionObjects upserted over SOAP, per-object results in the outbox. */
@QuarkusTest
@TestProfile(SfmcSoapWriteTest.SoapWrites.class)
class SfmcSoapWriteTest {

    /** live mode against WireMock, writing over SOAP. */
    public static class SoapWrites extends LiveSfmcProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(super.getConfigOverrides());
            config.put("sfmc.suppression-write", "soap");
            // The REST stand-in that answers read-backs only knows rows written over REST.
            config.put("sfmc.verify-writes", "false");
            return config;
        }
    }

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @InjectWireMock
    WireMockServer wm;

    @Inject
    Database db;

    private String run;
    private String tag;

    @BeforeEach
    void fresh() {
        wm.resetAll();
        SfmcWireMock.stubToken(wm, SfmcWireMock.TOKEN, 1079);
        wm.stubFor(WireMock.post("/Service.asmx").withHeader("SOAPAction", WireMock.equalTo("Update"))
                .willReturn(updated("OK", "OK", "Updated DataExtensionObject", "")));
        run = "soap-" + UUID.randomUUID();
        tag = UUID.randomUUID().toString().substring(0, 8);
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder updated(String overall, String code,
                                                                                          String message, String errorCode) {
        return WireMock.aResponse().withHeader("Content-Type", "text/xml; charset=utf-8").withBody("""
                <soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
                <soap:Body><UpdateResponse xmlns="http://exacttarget.com/wsdl/partnerAPI"><Results><StatusCode>%s</StatusCode>
                <StatusMessage>%s</StatusMessage><OrdinalID>0</OrdinalID>%s<Object xsi:type="DataExtensionObject">
                <CustomerKey>ASL_ACME</CustomerKey></Object></Results><RequestID>r-1</RequestID><OverallStatus>%s</OverallStatus>
                </UpdateResponse></soap:Body></soap:Envelope>""".formatted(code, message,
                errorCode.isEmpty() ? "" : "<ErrorCode>" + errorCode + "</ErrorCode>", overall));
    }

    private String email(int i) {
        return "s" + i + "-" + tag + "@acme.org";
    }

    private long rows(String state) {
        return db.count("SELECT COUNT(*) FROM suppression_outbox WHERE run_id = ? AND state = ?", run, state);
    }

    private List<LoggedRequest> writes() {
        return wm.findAll(WireMock.postRequestedFor(WireMock.urlEqualTo("/Service.asmx"))).stream()
                .filter(r -> r.getBodyAsString().contains(tag)).toList();
    }

    @Test
    void rowsAreUpsertedAsDataExtensionObjectsManyPerRequestAndEndAdded() {
        Batches b = batch("2026-11-23");
        for (int i = 1; i <= 3; i++) {
            b.inactive("m-" + tag + "-" + i, email(i), "Acme Weekly");
        }
        postBatch(run, b.json()).statusCode(202);
        await("no PENDING rows").atMost(PATIENCE).until(() -> rows("PENDING") == 0);

        assertThat(rows("ADDED")).isEqualTo(3);
        List<LoggedRequest> writes = writes();
        assertThat(writes).hasSize(1);
        String body = writes.get(0).getBodyAsString();
        assertThat(PartnerApiSchema.violation(writes.get(0).getBody())).isEmpty();
        assertThat(writes.get(0).getHeader("SOAPAction")).isEqualTo("Update");
        assertThat(body).contains("<SaveOption><PropertyName>*</PropertyName><SaveAction>UpdateAdd</SaveAction></SaveOption>")
                .contains("<fueloauth xmlns=\"http://exacttarget.com\">" + SfmcWireMock.TOKEN + "</fueloauth>")
                .contains("<Property><Name>Email Address</Name><Value>" + email(2) + "</Value></Property>")
                .contains("<Property><Name>Date Added</Name><Value>2026-11-23</Value></Property>");
        assertThat(body.split("xsi:type=\"DataExtensionObject\"", -1)).hasSize(4);
        assertThat(body.split("<CustomerKey>ASL_ACME</CustomerKey>", -1)).hasSize(4);
        wm.verify(0, WireMock.postRequestedFor(WireMock.urlPathMatching("/hub/.*")));
    }

    @Test
    void anObjectSfmcRefusesEndsFailedWithItsMessageAndTheOthersAdded() {
        String bad = email(2);
        wm.stubFor(WireMock.post("/Service.asmx").atPriority(1).withRequestBody(WireMock.containing(bad))
                .willReturn(updated("Error", "Error", "The value for column [Email Address] is not a valid email address", "10000")));
        Batches b = batch("2026-11-23");
        for (int i = 1; i <= 4; i++) {
            b.inactive("m-" + tag + "-" + i, email(i), "Acme Weekly");
        }
        postBatch(run, b.json()).statusCode(202);
        await("no PENDING rows").atMost(PATIENCE).until(() -> rows("PENDING") == 0);

        assertThat(rows("ADDED")).isEqualTo(3);
        assertThat(rows("FAILED")).isEqualTo(1);
        assertThat(db.string("SELECT email_normalized FROM suppression_outbox WHERE run_id = ? AND state = 'FAILED'", run)).isEqualTo(bad);
        assertThat(db.string("SELECT sfmc_message FROM suppression_outbox WHERE run_id = ? AND state = 'FAILED'", run))
                .contains("not a valid email address").contains("ErrorCode 10000");
    }
}
