package io.sfmcsuppression.sfmc;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.w3c.dom.Element;

import io.opentelemetry.instrumentation.annotations.SpanAttribute;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.quarkus.logging.Log;

/**
 * Writes suppressions the way Salesforce documents for Auto-Suppression Lists
 * ({@code SFMC_SUPPRESSION_WRITE=soap}): one SOAP {@code UpdateRequest} per batch, its
 * {@code Options} saying {@code SaveAction UpdateAdd} for every property (an upsert), and one
 * {@code DataExtensionObject} per row with the list's {@code CustomerKey}. Per-object results map
 * to the outcomes of the REST route: all OK is {@code ADDED}; any object refused is
 * {@code REJECTED} (the flusher halves the batch until each refused row carries SFMC's message;
 * re-sending saved rows is harmless, UpdateAdd is idempotent); a fault other than rate limiting
 * refuses the batch.
 */
@ApplicationScoped
public class SoapSfmcClient implements SfmcClient {

    private final SfmcSoap soap;
    private final SfmcConfig config;
    private final LiveSfmcClient live;
    private final DataExtensionDeletes deletes;

    SoapSfmcClient(SfmcSoap soap, SfmcConfig config, LiveSfmcClient live, DataExtensionDeletes deletes) {
        this.deletes = deletes;
        this.soap = soap;
        this.config = config;
        this.live = live;
    }

    @Override
    @WithSpan("sfmc upsert")
    public UpsertResult upsert(@SpanAttribute(SPAN_DATA_EXTENSION) String dataExtensionKey, List<Row> rows) {
        SoapXml.Response response;
        try {
            response = soap.write(Optional.empty(), "Update", request(dataExtensionKey, rows));
        } catch (SfmcException e) {
            if (e.transientFailure()) {
                throw e;
            }
            Log.warnf("SFMC refused a SOAP write of %d rows to %s: %s", rows.size(), dataExtensionKey, e.getMessage());
            return new UpsertResult(Outcome.REFUSED, e.status(), e.getMessage());
        }
        if (response.overallStatus().equals("OK")) {
            return UpsertResult.added();
        }
        String refused = response.results().stream().filter(r -> !"OK".equals(r.get("StatusCode")))
                .map(SoapSfmcClient::describe).findFirst().orElse("OverallStatus " + response.overallStatus());
        Log.debugf("SFMC refused part of %d rows for %s: %s", rows.size(), dataExtensionKey, refused);
        return new UpsertResult(Outcome.REJECTED, 200, "SFMC SOAP " + response.overallStatus() + ": " + refused);
    }

    SoapRequest request(String dataExtensionKey, List<Row> rows) {
        SoapRequest m = SoapRequest.of("UpdateRequest");
        Element options = m.add(m.root(), "Options");
        Element saveOption = m.add(m.add(options, "SaveOptions"), "SaveOption");
        m.add(saveOption, "PropertyName", "*");
        m.add(saveOption, "SaveAction", "UpdateAdd");
        for (Row row : rows) {
            Element object = m.addTyped(m.root(), "Objects", "DataExtensionObject");
            m.add(object, "CustomerKey", dataExtensionKey);
            Element properties = m.add(object, "Properties");
            property(m, properties, config.emailField(), row.email());
            property(m, properties, config.dateField(), row.dateAdded().toString());
        }
        return m;
    }

    private static void property(SoapRequest m, Element properties, String name, String value) {
        Element p = m.add(properties, "Property");
        m.add(p, "Name", name);
        m.add(p, "Value", value);
    }

    /** A refused object's result as one line: SFMC's StatusMessage and ErrorCode. */
    static String describe(Map<String, String> result) {
        String code = result.getOrDefault("ErrorCode", "");
        return result.getOrDefault("StatusMessage", "refused") + (code.isBlank() ? "" : " (ErrorCode " + code + ")");
    }

    @Override
    public DeleteResult delete(String dataExtensionKey, String email) {
        return deletes.delete(dataExtensionKey, email);
    }

    @Override
    public Health checkHealth() {
        return live.checkHealth();
    }

    @Override
    public String kind() {
        return "live";
    }
}
