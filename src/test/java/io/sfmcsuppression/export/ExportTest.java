package io.sfmcsuppression.export;

import static io.sfmcsuppression.export.ExportFixtures.RUN_DATE;
import static io.sfmcsuppression.export.ExportFixtures.bytes;
import static io.sfmcsuppression.export.ExportFixtures.completedAgo;
import static io.sfmcsuppression.export.ExportFixtures.expected;
import static io.sfmcsuppression.export.ExportFixtures.newRun;
import static io.sfmcsuppression.export.ExportFixtures.outbox;
import static io.sfmcsuppression.export.ExportFixtures.text;
import static io.sfmcsuppression.support.Api.READ_KEY;
import static io.sfmcsuppression.support.Api.as;
import static io.sfmcsuppression.support.Api.postBatch;
import static io.sfmcsuppression.support.Batches.batch;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.sfmcsuppression.run.RunRepository;
import io.sfmcsuppression.support.Api;
import io.sfmcsuppression.support.Database;
import io.sfmcsuppression.suppression.OutboxReports;

/** Files of a run (DESIGN section 5), in dry-run mode: written, recorded, downloadable; the mail withheld. */
@QuarkusTest
class ExportTest {

    private static final Duration LONG_AGO = Duration.ofHours(1);

    @Inject
    Database db;
    @Inject
    RunExporter exporter;
    @Inject
    DeliverablesWriter writer;
    @Inject
    RunRepository runs;

    @Test
    void twoBusinessUnitRunGivesTheExpectedFilesByteForByteAndOnlyInactivePeople() {
        String run = newRun("two-units");
        ExportFixtures.postTwoUnitRun(run);
        ExportFixtures.settleTwoUnitRun(db, run);
        completedAgo(db, run, LONG_AGO);

        assertThat(exporter.export(run)).isEqualTo(RunExporter.Outcome.EXPORTED);

        Path dir = writer.runDir(run);
        assertThat(fileNames(dir)).containsExactly("Marketing_NoLongerThere_2026-11-23.csv",
                "Sales_NoLongerThere_2026-11-23.csv", "output_document_inactive_people.csv");
        assertThat(bytes(dir.resolve("Marketing_NoLongerThere_2026-11-23.csv")))
                .isEqualTo(expected("two-units/Marketing_NoLongerThere_2026-11-23.csv", run));
        assertThat(bytes(dir.resolve("Sales_NoLongerThere_2026-11-23.csv")))
                .isEqualTo(expected("two-units/Sales_NoLongerThere_2026-11-23.csv", run));
        assertThat(bytes(dir.resolve("output_document_inactive_people.csv")))
                .isEqualTo(expected("two-units/output_document_inactive_people.csv", run));

        Api.run(run).statusCode(200)
                .body("state", equalTo("EXPORTED"))
                .body("deliverables.name", equalTo(List.of("Marketing_NoLongerThere_2026-11-23.csv",
                        "Sales_NoLongerThere_2026-11-23.csv", "output_document_inactive_people.csv")))
                .body("deliverables.rows", equalTo(List.of(5, 3, 10)))
                .body("deliverables[0].sha256", equalTo(sha256(dir.resolve("Marketing_NoLongerThere_2026-11-23.csv"))))
                .body("deliverables[1].sha256", equalTo(sha256(dir.resolve("Sales_NoLongerThere_2026-11-23.csv"))))
                .body("deliverables[2].sha256", equalTo(sha256(dir.resolve("output_document_inactive_people.csv"))));
    }

    @Test
    void reExportingTheSameRunGivesByteIdenticalFiles() {
        String run = newRun("re-export");
        ExportFixtures.postTwoUnitRun(run);
        ExportFixtures.settleTwoUnitRun(db, run);
        completedAgo(db, run, LONG_AGO);
        exporter.export(run);
        Path dir = writer.runDir(run);
        Map<String, byte[]> first = contents(dir);

        List<WrittenFile> again = writer.write(runs.find(run).orElseThrow());

        assertThat(contents(dir)).containsOnlyKeys(first.keySet());
        first.forEach((name, content) -> assertThat(bytes(dir.resolve(name))).as(name).isEqualTo(content));
        assertThat(again).extracting(WrittenFile::sha256)
                .containsExactly(sha256(dir.resolve("Marketing_NoLongerThere_2026-11-23.csv")),
                        sha256(dir.resolve("Sales_NoLongerThere_2026-11-23.csv")),
                        sha256(dir.resolve("output_document_inactive_people.csv")));
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void sfmcSuppressionAddedIsYesOnlyForRowsSfmcConfirmed() throws IOException {
        String run = newRun("added");
        postBatch(run, batch(RUN_DATE)
                .inactive(run + "/added", "added@acme.org", "Acme Weekly")
                .inactive(run + "/added-again", "ADDED@acme.org", "Acme Weekly")
                .inactive(run + "/pending", "pending@acme.org", "Acme Weekly")
                .inactive(run + "/verified", "verified@acme.org", "Acme Weekly")
                .inactive(run + "/failed", "failed@acme.org", "Acme Weekly")
                .inactive(run + "/mock", "mock@acme.org", "Acme Weekly")
                .inactive(run + "/unmapped", "unmapped@acme.org", "Nobody Maps Me")
                .json()).statusCode(202);
        outbox(db, run, "ASL_ACME", "added@acme.org", "ADDED", null, null);
        outbox(db, run, "ASL_ACME", "verified@acme.org", "VERIFIED", null, null);
        outbox(db, run, "ASL_ACME", "failed@acme.org", "FAILED", null, "rejected");
        outbox(db, run, "ASL_ACME", "mock@acme.org", "SKIPPED", "MOCK_CLIENT", null);
        completedAgo(db, run, LONG_AGO);

        exporter.export(run);

        Map<String, String> addedById = internalRows(run).stream()
                .collect(Collectors.toMap(r -> r.get("determination_id"), r -> r.get("sfmc_suppression_added")));
        assertThat(addedById).containsExactlyInAnyOrderEntriesOf(Map.of(
                run + "/added", "Yes", run + "/added-again", "Yes", run + "/pending", "No", run + "/verified", "Yes",
                run + "/failed", "No", run + "/mock", "No", run + "/unmapped", "No"));
        assertThat(internalRows(run)).filteredOn(r -> r.get("determination_id").equals(run + "/verified")).singleElement()
                .satisfies(r -> assertThat(r.get("suppression_status")).isEqualTo("VERIFIED"));
    }

    @Test
    void exportWaitsForRowsAwaitingTheirReadBackButNotForVerifiedOnes() {
        String run = newRun("read-back");
        postBatch(run, batch(RUN_DATE).inactive(run + "/1", "reading@acme.org", "Acme Weekly")
                .inactive(run + "/2", "verified@acme.org", "Acme Weekly").json()).statusCode(202);
        outbox(db, run, "ASL_ACME", "reading@acme.org", OutboxReports.ADDED_AWAITING_READ_BACK, null, null);
        outbox(db, run, "ASL_ACME", "verified@acme.org", "VERIFIED", null, null);
        completedAgo(db, run, Duration.ofMinutes(1));

        assertThat(exporter.export(run)).isEqualTo(RunExporter.Outcome.WAITING_FOR_SUPPRESSIONS);

        db.execute("UPDATE suppression_outbox SET state = 'VERIFIED', next_attempt_at = NULL WHERE run_id = ?", run);
        assertThat(exporter.export(run)).isEqualTo(RunExporter.Outcome.EXPORTED);
    }

    @Test
    void exportWaitsForPendingSuppressionsUpToMaxWaitThenReportsThemPending() throws IOException {
        String run = newRun("waits");
        postBatch(run, batch(RUN_DATE).inactive(run + "/1", "slow@acme.org", "Acme Weekly").json()).statusCode(202);
        outbox(db, run, "ASL_ACME", "slow@acme.org", "PENDING", null, null);
        completedAgo(db, run, Duration.ofMinutes(1));

        assertThat(exporter.export(run)).isEqualTo(RunExporter.Outcome.WAITING_FOR_SUPPRESSIONS);
        Api.run(run).statusCode(200).body("state", equalTo("COMPLETED")).body("deliverables", hasSize(0));

        completedAgo(db, run, Duration.ofMinutes(11));
        assertThat(exporter.export(run)).isEqualTo(RunExporter.Outcome.EXPORTED);
        assertThat(internalRows(run)).singleElement().satisfies(row -> {
            assertThat(row.get("suppression_status")).isEqualTo("PENDING");
            assertThat(row.get("sfmc_suppression_added")).isEqualTo("No");
        });
        assertThat(db.count("SELECT pending_at_export FROM run_exports WHERE run_id = ?", run)).isEqualTo(1);
    }

    @Test
    void settledSuppressionsDoNotWait() {
        String run = newRun("settled");
        postBatch(run, batch(RUN_DATE).inactive(run + "/1", "done@acme.org", "Acme Weekly").json()).statusCode(202);
        outbox(db, run, "ASL_ACME", "done@acme.org", "ADDED", null, null);
        completedAgo(db, run, Duration.ZERO);

        assertThat(exporter.export(run)).isEqualTo(RunExporter.Outcome.EXPORTED);
    }

    @Test
    void dryRunWritesTheFilesAndRecordsTheMailItWouldHaveSent() {
        String run = newRun("dry-run");
        postBatch(run, batch(RUN_DATE).inactive(run + "/1", "gone@acme.org", "Nobody Maps Me").json()).statusCode(202);
        completedAgo(db, run, Duration.ZERO);

        exporter.export(run);

        Api.run(run).statusCode(200)
                .body("state", equalTo("EXPORTED"))
                .body("notification.state", equalTo("WITHHELD"))
                .body("notification.reason", containsString("dry-run"))
                .body("notification.subject", equalTo("N04 suppression import, run date 2026-11-23: 1 row"))
                .body("notification.sentAt", nullValue())
                .body("notification.attempts", equalTo(0));
    }

    @Test
    void statusShowsTheExportWrittenLast() {
        String earlier = newRun("status-earlier");
        postBatch(earlier, batch(RUN_DATE).inactive(earlier + "/1", "first@acme.org", "Nobody Maps Me").json()).statusCode(202);
        completedAgo(db, earlier, Duration.ZERO);
        exporter.export(earlier);
        String later = newRun("status-later");
        postBatch(later, batch(RUN_DATE).inactive(later + "/1", "second@acme.org", "Nobody Maps Me")
                .inactive(later + "/2", "third@acme.org", "Nobody Maps Me").json()).statusCode(202);
        completedAgo(db, later, Duration.ZERO);
        exporter.export(later);

        as(READ_KEY).get("/api/v1/status").then().statusCode(200)
                .body("lastExport.runId", equalTo(later))
                .body("lastExport.n04Rows", equalTo(2))
                .body("lastExport.pendingAtExport", equalTo(0))
                .body("lastExport.mail", equalTo("WITHHELD"))
                .body("lastExport.exportedAt", notNullValue())
                .body("lastExport.mailSentAt", nullValue());
    }

    @Test
    void aRunWithoutInactivePeopleEndsNothingToSendWithoutAnN04File() {
        String run = newRun("empty");
        postBatch(run, batch(RUN_DATE)
                .item(run + "/a", "still.here@acme.org", "ACTIVE")
                .item(run + "/c", "old@acme.org", "CHANGED_EMAIL", "newEmail", "new@acme.org")
                .json()).statusCode(202);
        completedAgo(db, run, Duration.ZERO);

        assertThat(exporter.export(run)).isEqualTo(RunExporter.Outcome.NOTHING_TO_SEND);

        assertThat(fileNames(writer.runDir(run))).containsExactly("output_document_inactive_people.csv");
        Api.run(run).statusCode(200).body("state", equalTo("NOTHING_TO_SEND"))
                .body("notification.state", equalTo("NOT_NEEDED"))
                .body("deliverables.name", equalTo(List.of("output_document_inactive_people.csv")))
                .body("deliverables[0].rows", equalTo(0));
    }

    @Test
    void completingARunThroughTheApiStartsItsExportWithoutWaitingForTheTimer() {
        String run = newRun("triggered");
        postBatch(run, batch(RUN_DATE).inactive(run + "/1", "gone@acme.org", "Nobody Maps Me").json()).statusCode(202);

        Api.complete(run).statusCode(202);

        ExportFixtures.eventually(Duration.ofSeconds(10), () -> Api.run(run).statusCode(200).body("state", equalTo("EXPORTED")));
    }

    @Test
    void aDeliverableDownloadsAsCsv() {
        String run = exportedRun("download");
        Path file = writer.runDir(run).resolve("Marketing_NoLongerThere_2026-11-23.csv");

        byte[] body = as(READ_KEY).when().get("/api/v1/runs/{runId}/deliverables/{file}", run, file.getFileName().toString())
                .then().statusCode(200).contentType(containsString("text/csv"))
                .header("Content-Disposition", containsString("Marketing_NoLongerThere_2026-11-23.csv"))
                .extract().asByteArray();
        assertThat(body).isEqualTo(bytes(file));
    }

    @Test
    void unknownDeliverablesAndRunsAre404() {
        String run = exportedRun("unknown");
        as(READ_KEY).when().get("/api/v1/runs/{runId}/deliverables/{file}", run, "Other_NoLongerThere_2026-11-23.csv")
                .then().statusCode(404).contentType("application/problem+json");
        as(READ_KEY).when().get("/api/v1/runs/{runId}/deliverables/{file}", newRun("never"), "output_document_inactive_people.csv")
                .then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void pathTraversalAttemptsOnTheDownloadAreRefused() {
        String run = exportedRun("traversal");
        List<String> attacks = List.of(
                "..%2F..%2F..%2Fetc%2Fpasswd",
                "..%2f" + run + "%2Foutput_document_inactive_people.csv",
                "%2e%2e%2f%2e%2e%2fpom.xml",
                "..%5C..%5Cpom.xml",
                "%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
                "....%2F%2F....%2F%2Fetc%2Fpasswd",
                "..%2F..%2F..%2F..%2Fpom.xml");
        for (String attack : attacks) {
            var response = given().urlEncodingEnabled(false).header("X-API-Key", READ_KEY)
                    .when().get("/api/v1/runs/" + run + "/deliverables/" + attack).then().extract();
            assertThat(response.statusCode()).as(attack).isIn(400, 404);
            assertThat(response.body().asString()).as(attack).doesNotContain("root:").doesNotContain("<project");
        }
        given().urlEncodingEnabled(false).header("X-API-Key", READ_KEY)
                .when().get("/api/v1/runs/..%2F..%2F" + run + "/deliverables/output_document_inactive_people.csv")
                .then().statusCode(anyOf(is(400), is(404)));
    }

    @Test
    void downloadsNeedTheReadRole() {
        String run = exportedRun("roles");
        given().when().get("/api/v1/runs/{runId}/deliverables/{file}", run, "output_document_inactive_people.csv")
                .then().statusCode(401);
        as(Api.CONSENT_KEY).when().get("/api/v1/runs/{runId}/deliverables/{file}", run, "output_document_inactive_people.csv")
                .then().statusCode(403);
    }

    private String exportedRun(String prefix) {
        String run = newRun(prefix);
        postBatch(run, batch(RUN_DATE).inactive(run + "/1", "gone@acme.org", "Nobody Maps Me").json()).statusCode(202);
        completedAgo(db, run, Duration.ZERO);
        assertThat(exporter.export(run)).isEqualTo(RunExporter.Outcome.EXPORTED);
        return run;
    }

    private List<CSVRecord> internalRows(String run) throws IOException {
        String csv = text(writer.runDir(run).resolve(DeliverablesWriter.INTERNAL_NAME));
        return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(new StringReader(csv)).getRecords();
    }

    private static List<String> fileNames(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, byte[]> contents(Path dir) {
        return fileNames(dir).stream().collect(Collectors.toMap(n -> n, n -> bytes(dir.resolve(n))));
    }

    static String sha256(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes(file)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
