package io.sfmcsuppression.suppressions;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.QuoteMode;

import io.sfmcsuppression.export.ExportConfig;
import io.sfmcsuppression.web.SpreadsheetCells;

/**
 * The filtered suppression list as CSV (RFC 4180, UTF-8, every cell quoted like the internal
 * deliverable), written row by row as the database hands them over: constant memory for any size.
 */
@ApplicationScoped
public class SuppressionCsv {

    static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setQuoteMode(QuoteMode.ALL)
            .setHeader("id", "email", "data_extension_key", "business_unit", "account_name", "run_id", "date_added",
                    "state", "reason", "attempts", "sfmc_message", "origin", "origin_determination_id", "origin_key_name",
                    "origin_note", "origin_file", "origin_line", "created_at", "updated_at", "released_at", "released_by",
                    "release_reason").get();

    private final SuppressionCatalog catalog;
    private final ExportConfig export;

    SuppressionCsv(SuppressionCatalog catalog, ExportConfig export) {
        this.catalog = catalog;
        this.export = export;
    }

    /** Writes every row the filter selects to {@code out}, newest first. */
    public void write(SuppressionFilter filter, OutputStream out) throws IOException {
        CSVPrinter csv = new CSVPrinter(new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024), FORMAT);
        try {
            catalog.stream(filter, export.fetchSize(), v -> {
                try {
                    csv.printRecord(v.id(), v.email(), cell(v.dataExtensionKey()), cell(v.businessUnit()), cell(v.accountName()),
                            cell(v.runId()), Objects.toString(v.dateAdded(), ""), v.state(), cell(v.reason()), v.attempts(),
                            cell(v.sfmcMessage()), v.origin().kind().value(), cell(v.origin().determinationId()),
                            cell(v.origin().keyName()), cell(v.origin().note()), cell(v.origin().file()),
                            Objects.toString(v.origin().line(), ""), Objects.toString(v.createdAt(), ""),
                            Objects.toString(v.updatedAt(), ""),
                            v.release() == null ? "" : v.release().at().toString(),
                            v.release() == null ? "" : cell(v.release().by()),
                            v.release() == null ? "" : cell(v.release().reason()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        csv.flush();
    }

    private static String cell(String value) {
        return SpreadsheetCells.text(value);
    }
}
