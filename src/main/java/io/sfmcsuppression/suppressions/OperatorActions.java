package io.sfmcsuppression.suppressions;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.sfmcsuppression.config.AppConfig;
import io.sfmcsuppression.export.RunOperations;
import io.sfmcsuppression.web.EmailAddress;
import io.sfmcsuppression.suppression.FlusherControl;
import io.sfmcsuppression.suppression.Origin;
import io.sfmcsuppression.suppression.SuppressionOutbox;
import io.sfmcsuppression.suppression.SuppressionTargets;
import io.sfmcsuppression.web.ProblemException;

/**
 * The operator's actions on suppressions and the flusher, each recorded in the audit log with the
 * key's name and the reason given: re-queue FAILED rows, pause and resume the flusher, add one
 * address, import a CSV of existing suppressions.
 */
@ApplicationScoped
public class OperatorActions {

    /** What a re-queue did. */
    public record Requeued(String scope, String subject, int rows) {
    }

    /** One line of an import that was not taken, numbered as in the file (the header is line 1). */
    public record BadLine(long line, String message) {
    }

    /**
     * What an import did: lines read (without the header), rows queued, lines whose address was on
     * the list already, and every bad line (none of them is taken; the good ones are).
     */
    public record Imported(String file, String dataExtensionKey, long lines, long queued, long alreadyListed,
                           List<BadLine> badLines) {
    }

    /** Rows per transaction of an import: a large file never holds one long transaction. */
    private static final int IMPORT_CHUNK = 500;
    private static final String EMAIL_HEADER = "Email Address";
    private static final String DATE_HEADER = "Date Added";

    private final SuppressionOutbox outbox;
    private final RunOperations runs;
    private final SuppressionTargets targets;
    private final FlusherControl flusher;
    private final OperatorAudit audit;
    private final AppConfig app;
    private final Clock clock;

    OperatorActions(SuppressionOutbox outbox, RunOperations runs, SuppressionTargets targets, FlusherControl flusher,
                    OperatorAudit audit, AppConfig app, Clock clock) {
        this.outbox = outbox;
        this.runs = runs;
        this.targets = targets;
        this.flusher = flusher;
        this.audit = audit;
        this.app = app;
        this.clock = clock;
    }

    /** Makes the FAILED rows of the scope PENDING again; the flusher sends them at once. */
    public Requeued requeue(SuppressionOutbox.RequeueScope scope, String subject, String by, String reason) {
        String why = SuppressionRelease.requireReason(reason);
        if (subject == null || subject.isBlank()) {
            throw ProblemException.badRequest("Name the row, run or data extension to re-queue");
        }
        Instant now = clock.instant();
        int rows = QuarkusTransaction.requiringNew().call(() -> {
            int n = outbox.requeueFailed(scope, subject.trim(), now);
            audit.record(by, OperatorAudit.Action.REQUEUE, scope.name().toLowerCase(Locale.ROOT) + " " + subject.trim(), why,
                    n + " FAILED row(s) PENDING again", now);
            outbox.queued("requeue", n);
            return n;
        });
        Log.infof("%d FAILED suppression(s) of %s %s re-queued by %s", rows, scope.name().toLowerCase(Locale.ROOT), subject, by);
        return new Requeued(scope.name().toLowerCase(Locale.ROOT), subject.trim(), rows);
    }

    /** Writes an exported run's files again (state and mail unchanged). */
    public RunOperations.Reexported reexport(String runId, String by, String reason) {
        String why = SuppressionRelease.requireReason(reason);
        RunOperations.Reexported done = runs.reexport(runId);
        QuarkusTransaction.requiringNew().run(() -> audit.record(by, OperatorAudit.Action.REEXPORT, "run " + runId, why,
                done.deliverables().size() + " file(s) written", clock.instant()));
        return done;
    }

    /** Sends a notified run's N04 mail a second time (nothing in dry-run and read-only). */
    public RunOperations.Resent resendN04(String runId, String by, String reason) {
        String why = SuppressionRelease.requireReason(reason);
        RunOperations.Resent done = runs.resendN04(runId);
        QuarkusTransaction.requiringNew().run(() -> audit.record(by, OperatorAudit.Action.RESEND_N04, "run " + runId, why,
                done.outcome() + ": " + done.detail(), clock.instant()));
        return done;
    }

    /** Whether the flusher is paused, and who changed that last. */
    public FlusherSwitch flusherSwitch() {
        return FlusherSwitch.of(flusher.state());
    }

    /** One entry of the audit log, as the API shows it. */
    public record AuditEntry(long id, Instant occurredAt, String actor, String action, String subject,
                             String reason, String outcome) {
    }

    /** The newest {@code limit} entries of the audit log. */
    public List<AuditEntry> auditLog(int limit) {
        return audit.recent(limit).stream()
                .map(e -> new AuditEntry(e.id(), e.occurredAt(), e.actor(), e.action().name(), e.subject(), e.reason(), e.outcome()))
                .toList();
    }

    /** Pauses or resumes the flusher on every replica. */
    public FlusherSwitch setFlusherPaused(boolean paused, String by, String reason) {
        String why = SuppressionRelease.requireReason(reason);
        Instant now = clock.instant();
        QuarkusTransaction.requiringNew().run(() -> {
            boolean changed = flusher.set(paused, by, why, now);
            audit.record(by, paused ? OperatorAudit.Action.PAUSE_FLUSHER : OperatorAudit.Action.RESUME_FLUSHER, "flusher", why,
                    changed ? (paused ? "paused" : "resumed") : "unchanged: it was " + (paused ? "paused" : "running") + " already", now);
            if (!paused) {
                outbox.queued("resume", 1);
            }
        });
        Log.infof("Suppression flusher %s by %s: %s", paused ? "paused" : "resumed", by, why);
        return flusherSwitch();
    }

    /**
     * Suppresses one address in a mapped list on the operator's word (origin operator, the reason as
     * its note).
     *
     * @return true when a row was queued, false when the address is on that list already
     */
    public boolean add(String dataExtensionKey, String address, String by, String reason) {
        String why = SuppressionRelease.requireReason(reason);
        String key = requireMappedList(dataExtensionKey);
        String trimmed = address == null ? "" : address.trim();
        Optional<String> problem = EmailAddress.problem(trimmed);
        if (problem.isPresent()) {
            throw ProblemException.invalidItems("The address is not valid", List.of(
                    new io.sfmcsuppression.web.Problem.ItemError(0, null, "address", problem.get())));
        }
        Instant now = clock.instant();
        return QuarkusTransaction.requiringNew().call(() -> {
            boolean queued = outbox.requestByOperator(key, EmailAddress.normalize(trimmed), LocalDate.now(clock.withZone(app.zone())),
                    Origin.operator(by, why), now);
            audit.record(by, OperatorAudit.Action.ADD, key, why, queued ? "queued" : "on the list already", now);
            outbox.queued("operator", queued ? 1 : 0);
            return queued;
        });
    }

    /**
     * Imports {@code Email Address[,Date Added]} lines into one mapped list, read as a stream and
     * committed in chunks. Each address is validated like intake; a bad line is listed and skipped;
     * an address already on the list (from any origin, not released) is counted, not queued again,
     * so importing a file twice changes nothing. Date Added defaults to today in {@code app.zone}.
     */
    public Imported importCsv(String dataExtensionKey, String fileName, InputStream body, String by, String reason)
            throws IOException {
        String why = SuppressionRelease.requireReason(reason);
        String key = requireMappedList(dataExtensionKey);
        String file = fileName == null || fileName.isBlank() ? "upload.csv" : fileName.trim();
        LocalDate today = LocalDate.now(clock.withZone(app.zone()));
        List<BadLine> bad = new ArrayList<>();
        long lines = 0;
        long queued = 0;
        long listed = 0;
        try (Reader reader = new InputStreamReader(body, StandardCharsets.UTF_8);
             CSVParser csv = CSVFormat.DEFAULT.builder().setTrim(true).setIgnoreEmptyLines(true).get().parse(reader)) {
            Iterator<CSVRecord> records = csv.iterator();
            if (!records.hasNext()) {
                throw ProblemException.badRequest("The file is empty; its first line must be the header Email Address[,Date Added]");
            }
            CSVRecord header = records.next();
            boolean withDate = checkHeader(header);
            List<PendingRow> chunk = new ArrayList<>(IMPORT_CHUNK);
            while (records.hasNext()) {
                CSVRecord record;
                try {
                    record = records.next();
                } catch (IllegalStateException | java.io.UncheckedIOException malformed) {
                    bad.add(new BadLine(csv.getCurrentLineNumber(), "not a CSV line: " + malformed.getMessage()));
                    break;
                }
                lines++;
                long line = record.getRecordNumber();
                Optional<String> problem = lineProblem(record, withDate);
                if (problem.isPresent()) {
                    bad.add(new BadLine(line, problem.get()));
                    continue;
                }
                LocalDate date = withDate && record.size() > 1 && !record.get(1).isEmpty() ? LocalDate.parse(record.get(1)) : today;
                chunk.add(new PendingRow(EmailAddress.normalize(record.get(0)), date, line));
                if (chunk.size() == IMPORT_CHUNK) {
                    long q = store(key, file, by, chunk);
                    queued += q;
                    listed += chunk.size() - q;
                    chunk.clear();
                }
            }
            long q = store(key, file, by, chunk);
            queued += q;
            listed += chunk.size() - q;
        }
        Imported result = new Imported(file, key, lines, queued, listed, List.copyOf(bad));
        long queuedRows = queued;
        QuarkusTransaction.requiringNew().run(() -> audit.record(by, OperatorAudit.Action.IMPORT, file + " into " + key, why,
                result.lines() + " line(s): " + result.queued() + " queued, " + result.alreadyListed() + " on the list already, "
                        + result.badLines().size() + " bad", clock.instant()));
        Log.infof("Import of %s into %s by %s: %d line(s), %d queued, %d on the list already, %d bad", file, key, by,
                lines, queuedRows, listed, bad.size());
        return result;
    }

    private record PendingRow(String email, LocalDate dateAdded, long line) {
    }

    private long store(String key, String file, String by, List<PendingRow> rows) {
        if (rows.isEmpty()) {
            return 0;
        }
        Instant now = clock.instant();
        return QuarkusTransaction.requiringNew().call(() -> {
            long n = 0;
            for (PendingRow row : rows) {
                if (outbox.requestByOperator(key, row.email(), row.dateAdded(), Origin.imported(by, file, row.line()), now)) {
                    n++;
                }
            }
            outbox.queued("import", (int) n);
            return n;
        });
    }

    private static boolean checkHeader(CSVRecord header) {
        boolean emailFirst = header.size() >= 1 && EMAIL_HEADER.equalsIgnoreCase(stripBom(header.get(0)));
        boolean dateSecond = header.size() == 2 && DATE_HEADER.equalsIgnoreCase(header.get(1));
        if (!emailFirst || header.size() > 2 || (header.size() == 2 && !dateSecond)) {
            throw ProblemException.badRequest("The first line must be the header Email Address or Email Address,Date Added");
        }
        return dateSecond;
    }

    private static Optional<String> lineProblem(CSVRecord record, boolean withDate) {
        if (record.size() > (withDate ? 2 : 1)) {
            return Optional.of("has " + record.size() + " fields; expected " + (withDate ? "Email Address,Date Added" : "Email Address"));
        }
        Optional<String> address = EmailAddress.problem(record.get(0)).map(p -> "Email Address " + p);
        if (address.isPresent() || !withDate || record.size() < 2 || record.get(1).isEmpty()) {
            return address;
        }
        try {
            LocalDate.parse(record.get(1));
            return Optional.empty();
        } catch (DateTimeParseException e) {
            return Optional.of("Date Added must be YYYY-MM-DD");
        }
    }

    private String requireMappedList(String dataExtensionKey) {
        if (dataExtensionKey == null || !targets.managedLists().contains(dataExtensionKey.trim())) {
            throw ProblemException.badRequest("dataExtension must be a list SFMC_SUPPRESSION_LIST_MAPPING names: "
                    + String.join(", ", targets.managedLists()));
        }
        return dataExtensionKey.trim();
    }

    private static String stripBom(String s) {
        return s.startsWith("\uFEFF") ? s.substring(1) : s;
    }
}
