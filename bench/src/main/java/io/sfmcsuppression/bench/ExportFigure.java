package io.sfmcsuppression.bench;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import static io.sfmcsuppression.bench.IntakeFigure.fmt;
import static io.sfmcsuppression.bench.IntakeFigure.verdict;

/**
 * Export: how long the service takes to write the files of a completed run of N INACTIVE people
 * (the N04 CSV per business unit and the internal CSV) with its heap capped at 256 MB, against
 * PostgreSQL's own {@code COPY (...) TO STDOUT (FORMAT csv)} of the same two queries into files on
 * the same disk, measured in the same repeat. Goal: at most 2 × the baseline, no OutOfMemoryError.
 *
 * <p>The run is loaded once with {@link LedgerCopy} (the figure measures the export, not intake).
 * Per repeat the run is set back to OPEN and its export records deleted; a fresh service
 * ({@code -Xmx256m}, dry-run, so the mail is WITHHELD) completes it through the API and the clock
 * stops when {@code run_exports.exported_at} is set (polled every 100 ms with a primary-key read,
 * not through {@code GET /runs/{id}}, whose counts would load the database). Then the same service
 * exports the run again (state set back to COMPLETED; its export timer, every second, picks it up):
 * the re-export, with a warm JIT. Baseline and service alternate which goes first.
 */
final class ExportFigure implements Figure {

    static final String RUN_ID = "export-run";
    private static final Pattern EXPORTED_IN = Pattern.compile("Run " + RUN_ID + " exported in (\\d+) ms");

    /** The N04 rows, as the issue words the baseline: DISTINCT, in the export's byte order. */
    private static final String N04_COPY = """
            COPY (SELECT DISTINCT business_unit COLLATE "C" AS business_unit, email_normalized COLLATE "C" AS email,
                         'Unsubscribed' AS status, '%s' AS date_added
                  FROM run_inactive_people WHERE run_id = '%s' ORDER BY 1, 2) TO STDOUT (FORMAT csv, HEADER)""";
    /** The internal file's query of the service (export/InactiveOutcomes), as it is. */
    private static final String INTERNAL_COPY = """
            COPY (SELECT d.id, d.email_normalized, d.account_name, d.business_unit, d.received_at, d.suppression_target,
                         o.state, o.reason, o.sfmc_message
                  FROM determinations d
                  LEFT JOIN suppression_outbox o
                         ON o.run_id = d.run_id AND o.target = d.suppression_target AND o.email_normalized = d.email_normalized
                  WHERE d.run_id = '%s' AND d.determination = 'INACTIVE'
                  ORDER BY d.email_normalized COLLATE "C", d.id COLLATE "C") TO STDOUT (FORMAT csv, HEADER)""";

    /** One repeat of the service: first export, re-export (NaN when it did not finish), and what it cost. */
    record ServiceExport(double firstSeconds, double firstLoggedSeconds, double againSeconds, double againLoggedSeconds,
                         double firstCpuSeconds, double againCpuSeconds, double firstPostgresCpuSeconds, double peakRssMb, boolean outOfMemory, long n04Rows, long internalRows) {
    }

    /** One repeat of the baseline: seconds and rows of each COPY. */
    record CopyExport(double n04Seconds, long n04Rows, double internalSeconds, long internalRows, double postgresCpuSeconds) {
        double seconds() {
            return n04Seconds + internalSeconds;
        }
    }

    @Override
    public String name() {
        return "export";
    }

    @Override
    public void run(BenchOptions options, Report report) throws Exception {
        int rows = options.smoke() ? 2_000 : 1_000_000;
        int repeats = options.repeatsOr(3);
        Path work = Files.createTempDirectory("bench-export");
        report.line("");
        report.line("## Export");
        report.line("");
        try (Postgres db = Postgres.throwaway("export")) {
            try (ServiceProcess migrate = ServiceProcess.service(options, db, work, List.of(), Map.of("EXPORT_EVERY", "off"))) {
                migrate.requireAlive();
            }
            long loadStart = System.nanoTime();
            LedgerCopy.Loaded loaded = LedgerCopy.inactiveRun(db, RUN_ID, rows);
            report.line(String.format(Locale.ROOT, "A run of %d INACTIVE determinations (distinct addresses; business units Marketing %d, "
                    + "Sales %d; suppressions settled: ADDED, 1 in 70 SKIPPED) loaded with COPY in %.0f s, then VACUUM ANALYZE. "
                    + "Per repeat: a fresh service with -Xmx256m (dry-run) completes the run through the API and writes its files: "
                    + "first export timed from POST complete to run_exports.exported_at set (polled every 100 ms), the service's own "
                    + "\"exported in\" log line beside it; then a re-export by the same service (run set back to COMPLETED, picked up by "
                    + "its 1 s export timer; the logged time is the figure, the polled one includes up to 1 s of timer). Baseline: "
                    + "COPY TO STDOUT (FORMAT csv) of the N04 rows (SELECT DISTINCT ... ORDER BY) and of the internal file's query, "
                    + "through pgjdbc's CopyManager into files on the same disk, fsynced. %d repeats, alternating which goes first%s. "
                + "PostgreSQL CPU: all postgres processes of this machine (an upper bound: other users of the server count too).",
                    rows, loaded.marketing(), loaded.sales(), (System.nanoTime() - loadStart) / 1e9, repeats, options.jfr() ? "; JFR on" : ""));
            report.line("");
            report.table("repeat", "first", "load 1m before", "COPY N04 s", "COPY internal s", "COPY total s", "service first export s",
                    "(logged s)", "re-export logged s", "service CPU s: first, re-export", "PostgreSQL CPU s: COPY, first export", "peak RSS MB", "OutOfMemoryError", "ratio first / COPY",
                    "ratio re-export / COPY");
            List<Double> copies = new ArrayList<>();
            List<Double> firsts = new ArrayList<>();
            List<Double> agains = new ArrayList<>();
            List<Double> ratios = new ArrayList<>();
            List<Double> againRatios = new ArrayList<>();
            List<Double> loads = new ArrayList<>();
            List<Double> rss = new ArrayList<>();
            int outOfMemory = 0;
            for (int r = 1; r <= repeats; r++) {
                double load = Machine.load1();
                reset(db, work);
                boolean serviceFirst = r % 2 == 1;
                CopyExport copy = null;
                if (!serviceFirst) {
                    copy = copyBaseline(db, work);
                }
                ServiceExport service = serviceExport(options, db, work, r, rows);
                if (serviceFirst) {
                    copy = copyBaseline(db, work);
                }
                if (!service.outOfMemory() && (service.n04Rows() != copy.n04Rows() || service.internalRows() != copy.internalRows())) {
                    throw new IllegalStateException("Service and COPY wrote different rows: service N04 " + service.n04Rows() + ", internal "
                            + service.internalRows() + "; COPY " + copy.n04Rows() + ", " + copy.internalRows());
                }
                outOfMemory += service.outOfMemory() ? 1 : 0;
                double ratio = service.firstSeconds() / copy.seconds();
                double againRatio = service.againLoggedSeconds() / copy.seconds();
                copies.add(copy.seconds());
                loads.add(load);
                rss.add(service.peakRssMb());
                if (!service.outOfMemory()) {
                    firsts.add(service.firstSeconds());
                    ratios.add(ratio);
                }
                if (!Double.isNaN(service.againLoggedSeconds())) {
                    agains.add(service.againLoggedSeconds());
                    againRatios.add(againRatio);
                }
                report.row(r, serviceFirst ? "service" : "COPY", fmt("%.2f", load), fmt("%.2f", copy.n04Seconds()),
                        fmt("%.2f", copy.internalSeconds()), fmt("%.2f", copy.seconds()), fmt("%.2f", service.firstSeconds()),
                        fmt("%.2f", service.firstLoggedSeconds()), fmt("%.2f", service.againLoggedSeconds()), fmt("%.1f", service.firstCpuSeconds()) + ", " + fmt("%.1f", service.againCpuSeconds()),
                        fmt("%.1f", copy.postgresCpuSeconds()) + ", " + fmt("%.1f", service.firstPostgresCpuSeconds()),
                        fmt("%.0f", service.peakRssMb()), service.outOfMemory() ? "**yes**" : "no", fmt("%.2f", ratio), fmt("%.2f", againRatio));
            }
            report.line("");
            report.line("- COPY baseline (N04 + internal): " + Stats.of(copies).format("%.2f") + " s");
            if (!firsts.isEmpty()) {
                Stats ratio = Stats.of(ratios);
                report.line("- **service, first export: " + Stats.of(firsts).format("%.2f") + " s**");
                report.line("- **ratio first export / COPY: " + ratio.format("%.2f") + "**; goal ≤ 2 and no OutOfMemoryError: "
                        + verdict(options, ratio.median() <= 2 && outOfMemory == 0));
            }
            if (!agains.isEmpty()) {
                report.line("- service, re-export (logged): " + Stats.of(agains).format("%.2f") + " s; ratio re-export / COPY: "
                        + Stats.of(againRatios).format("%.2f"));
            }
            report.line("- OutOfMemoryError in the service log: " + outOfMemory + " of " + repeats + " repeats; peak RSS "
                    + Stats.of(rss).format("%.0f") + " MB");
            report.line("- load average (1 min) before each repeat: " + Stats.of(loads).format("%.2f") + "; at the end: " + Machine.loadAverage());
        } finally {
            // the files of a million rows are about 200 MB a side
            deleteTree(work.resolve("runs"));
            deleteTree(work.resolve("copy"));
        }
    }

    /** The run back to OPEN without export records or files, the dirty pages flushed. */
    private static void reset(Postgres db, Path work) throws Exception {
        try (Connection c = db.connect(); var s = c.createStatement()) {
            s.execute("DELETE FROM run_deliverables WHERE run_id = '" + RUN_ID + "'");
            s.execute("DELETE FROM run_exports WHERE run_id = '" + RUN_ID + "'");
            s.execute("UPDATE runs SET state = 'OPEN', completed_at = NULL WHERE run_id = '" + RUN_ID + "'");
            s.execute("CHECKPOINT");
        }
        deleteTree(work.resolve("runs"));
        deleteTree(work.resolve("copy"));
    }

    private static ServiceExport serviceExport(BenchOptions options, Postgres db, Path work, int repeat, int rows) throws Exception {
        List<String> jvm = new ArrayList<>(List.of("-Xmx256m"));
        jvm.addAll(options.recording("export-r" + repeat));
        long timeout = Math.max(120, rows / 2_000);
        try (ServiceProcess service = ServiceProcess.service(options, db, work, jvm, Map.of("EXPORT_EVERY", "1s"))) {
            double cpuBefore = service.cpuSeconds();
            double postgresBefore = Machine.postgresCpuSeconds();
            long start = System.nanoTime();
            complete(service);
            boolean done = waitExported(db, service, start, timeout);
            double first = (System.nanoTime() - start) / 1e9;
            double firstCpu = service.cpuSeconds() - cpuBefore;
            double firstPostgres = Machine.postgresCpuSeconds() - postgresBefore;
            double again = Double.NaN;
            double againCpu = Double.NaN;
            if (done) {
                verifyFiles(work, db);
                try (Connection c = db.connect(); var s = c.createStatement()) {
                    s.execute("UPDATE run_exports SET exported_at = NULL WHERE run_id = '" + RUN_ID + "'");
                    s.execute("UPDATE runs SET state = 'COMPLETED' WHERE run_id = '" + RUN_ID + "'");
                }
                double againCpuBefore = service.cpuSeconds();
                long againStart = System.nanoTime();
                if (waitExported(db, service, againStart, timeout)) {
                    again = (System.nanoTime() - againStart) / 1e9;
                    againCpu = service.cpuSeconds() - againCpuBefore;
                }
            }
            double peak = service.residentMegabytes()[1];
            String log = service.log();
            List<Double> logged = new ArrayList<>();
            Matcher m = EXPORTED_IN.matcher(log);
            while (m.find()) {
                logged.add(Long.parseLong(m.group(1)) / 1000.0);
            }
            boolean oom = log.contains("OutOfMemoryError");
            long[] written = deliverableRows(db);
            return new ServiceExport(done ? first : Double.NaN, logged.isEmpty() ? Double.NaN : logged.get(0),
                    again, logged.size() < 2 ? Double.NaN : logged.get(1), firstCpu, againCpu, firstPostgres, peak, oom,
                    written[0], written[1]);
        }
    }

    private static void complete(ServiceProcess service) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest post = HttpRequest.newBuilder(URI.create(service.baseUri() + "/api/v1/runs/" + RUN_ID + "/complete"))
                .header("X-API-Key", ServiceProcess.API_KEY).timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<String> response = http.send(post, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 202) {
            throw new IllegalStateException("POST complete answered " + response.statusCode() + ": " + response.body());
        }
    }

    /**
     * Polls {@code run_exports.exported_at} every 100 ms. False when an OutOfMemoryError shows in the
     * service log first (the export then never finishes); throws when the service dies or time runs out.
     */
    private static boolean waitExported(Postgres db, ServiceProcess service, long start, long timeoutSeconds) throws Exception {
        long deadline = start + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        try (Connection c = db.connect();
             PreparedStatement ps = c.prepareStatement("SELECT exported_at FROM run_exports WHERE run_id = ? AND exported_at IS NOT NULL")) {
            ps.setString(1, RUN_ID);
            while (true) {
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return true;
                    }
                }
                service.requireAlive();
                if (service.log().contains("OutOfMemoryError")) {
                    return false;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("The export of " + RUN_ID + " did not finish within " + timeoutSeconds + " s");
                }
                Thread.sleep(100);
            }
        }
    }

    /** The N04 files exist under DELIVERABLES_DIR/{runId}/ and the run reads EXPORTED. */
    private static void verifyFiles(Path work, Postgres db) throws Exception {
        Path dir = work.resolve("runs").resolve(RUN_ID);
        try (Stream<Path> files = Files.list(dir)) {
            if (files.noneMatch(p -> p.getFileName().toString().contains("_NoLongerThere_"))) {
                throw new IllegalStateException("No N04 file in " + dir);
            }
        }
        try (Connection c = db.connect(); var s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT state FROM runs WHERE run_id = '" + RUN_ID + "'")) {
            rs.next();
            if (!"EXPORTED".equals(rs.getString(1))) {
                throw new IllegalStateException("Run " + RUN_ID + " is " + rs.getString(1) + " after its export, not EXPORTED");
            }
        }
    }

    /** Rows recorded in run_deliverables: {N04 files together, internal file}. */
    private static long[] deliverableRows(Postgres db) throws SQLException {
        long[] rows = new long[2];
        try (Connection c = db.connect(); var s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT kind, SUM(row_count) FROM run_deliverables WHERE run_id = '" + RUN_ID + "' GROUP BY kind")) {
            while (rs.next()) {
                rows["N04".equals(rs.getString(1)) ? 0 : 1] = rs.getLong(2);
            }
        }
        return rows;
    }

    private static CopyExport copyBaseline(Postgres db, Path work) throws Exception {
        Path dir = Files.createDirectories(work.resolve("copy"));
        try (Connection c = db.connect()) {
            CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
            double postgresBefore = Machine.postgresCpuSeconds();
            long start = System.nanoTime();
            long n04 = copyTo(copy, N04_COPY.formatted(Workload.RUN_DATE, RUN_ID), dir.resolve("n04.csv"));
            long mid = System.nanoTime();
            long internal = copyTo(copy, INTERNAL_COPY.formatted(RUN_ID), dir.resolve("internal.csv"));
            long end = System.nanoTime();
            return new CopyExport((mid - start) / 1e9, n04, (end - mid) / 1e9, internal, Machine.postgresCpuSeconds() - postgresBefore);
        }
    }

    /** COPY into a file, synced to disk as the service syncs its files; returns the rows (the header not counted). */
    private static long copyTo(CopyManager copy, String sql, Path file) throws Exception {
        try (FileOutputStream fos = new FileOutputStream(file.toFile()); OutputStream out = new BufferedOutputStream(fos, 1 << 16)) {
            long rows = copy.copyOut(sql, out);
            out.flush();
            fos.getFD().sync();
            return rows;
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
