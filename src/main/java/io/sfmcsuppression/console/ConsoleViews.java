package io.sfmcsuppression.console;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.sfmcsuppression.config.AppConfig;
import io.sfmcsuppression.optout.OptOutReport;
import io.sfmcsuppression.export.ExportStatus;
import io.sfmcsuppression.export.LastExport;
import io.sfmcsuppression.ops.EmailHistory;
import io.sfmcsuppression.ops.EmailHistoryService;
import io.sfmcsuppression.run.RunService;
import io.sfmcsuppression.run.RunState;
import io.sfmcsuppression.run.RunView;
import io.sfmcsuppression.sfmc.SfmcClients;
import io.sfmcsuppression.suppression.EffectiveSfmcClient;
import io.sfmcsuppression.suppression.FlusherControl;
import io.sfmcsuppression.suppression.Origin;
import io.sfmcsuppression.suppression.OutboxState;
import io.sfmcsuppression.suppression.SuppressionConfig;
import io.sfmcsuppression.suppression.OutboxReports;
import io.sfmcsuppression.suppression.SuppressionTargets;
import io.sfmcsuppression.suppressions.SuppressionCatalog;
import io.sfmcsuppression.suppressions.SuppressionFilter;
import io.sfmcsuppression.suppressions.SuppressionPage;
import io.sfmcsuppression.suppressions.SuppressionView;
import io.sfmcsuppression.web.EmailAddress;
import io.sfmcsuppression.web.ProblemException;

/** Builds what each console page shows from the capabilities' public beans and the console's own bounded reads. */
@ApplicationScoped
public class ConsoleViews {

    /** Rows per page of runs and of FAILED rows: a page stays one small indexed read however large the ledger. */
    static final int PAGE_SIZE = 50;
    /** Days in the suppressions chart. */
    static final int CHART_DAYS = 14;
    /** Opt-outs listed at most; the count above the table says how many there are. */
    static final int MAX_OPT_OUTS = 500;
    private static final List<String> ORIGINS = Arrays.stream(Origin.Kind.values()).map(Origin.Kind::value).toList();

    /** One run in the list. */
    public record RunRow(String runId, LocalDate runDate, RunState state, Instant createdAt, String age, long determinations,
                         long pending, long failed) {
    }

    /** The runs page: one page of runs, the state filter, and the cursor of the next page (null on the last). */
    public record RunsPage(List<RunRow> runs, String state, List<RunState> states, String next) {
    }

    /** A run's page: the API's view of it, and one page of its FAILED rows after {@code failedAfter}. */
    public record RunPage(RunView run, String age, List<ConsoleRepository.FailedRow> failed, Long nextFailedAfter) {
    }

    /** The status page. */
    public record StatusPage(String mode, int mappedAccounts, SfmcClients.Status sfmc, FlusherControl.State flusher,
                             Map<String, Long> outbox, long outboxDepth, String oldestPendingAge, OutboxAgeChart outboxAge,
                             LastExport lastExport, SuppressionChart chart) {
    }

    /**
     * The suppressions page: the filter, one page of rows newest first (or every row of the address
     * searched, when {@code address} is set), the cursor of the next page (null on the last), and
     * the values the state and origin filters offer.
     */
    public record SuppressionsPage(SuppressionQuery query, String address, List<SuppressionView> rows, String next,
                                   List<OutboxState> states, List<String> origins) {
    }

    /** The opt-outs page: the consent report, its first {@value #MAX_OPT_OUTS} items. */
    public record OptOutsPage(OptOutReport.Report report, List<OptOutReport.Item> shown) {
    }

    /** One address's history; {@code searched} is false before the first search. */
    public record HistoryPage(boolean searched, String email, List<EmailHistory.Determination> determinations,
                              List<EmailHistory.Suppression> suppressions) {
    }

    private final RunService runs;
    private final ConsoleRepository console;
    private final EmailHistoryService history;
    private final OutboxReports outbox;
    private final SuppressionConfig suppression;
    private final SuppressionTargets targets;
    private final EffectiveSfmcClient sfmc;
    private final ExportStatus exports;
    private final OptOutReport optOuts;
    private final SuppressionCatalog catalog;
    private final FlusherControl flusher;
    private final AppConfig app;
    private final ConsoleConfig config;
    private final Clock clock;
    private SuppressionChart chart;
    private Instant chartAt;

    ConsoleViews(RunService runs, ConsoleRepository console, EmailHistoryService history, OutboxReports outbox,
                 SuppressionConfig suppression, SuppressionTargets targets, EffectiveSfmcClient sfmc, ExportStatus exports,
                 OptOutReport optOuts, SuppressionCatalog catalog, FlusherControl flusher, AppConfig app, ConsoleConfig config,
                 Clock clock) {
        this.runs = runs;
        this.console = console;
        this.history = history;
        this.outbox = outbox;
        this.suppression = suppression;
        this.targets = targets;
        this.sfmc = sfmc;
        this.exports = exports;
        this.optOuts = optOuts;
        this.catalog = catalog;
        this.flusher = flusher;
        this.app = app;
        this.config = config;
        this.clock = clock;
    }

    /** Newest runs first, {@value #PAGE_SIZE} a page; {@code cursor} is the previous page's {@code next}. */
    public RunsPage runs(Optional<RunState> state, Optional<String> cursor) {
        Optional<Cursor> after = cursor.filter(c -> !c.isBlank()).map(Cursor::parse);
        List<ConsoleRepository.RunRow> page = console.runs(state.map(Enum::name), after.map(Cursor::createdAt),
                after.map(Cursor::runId), PAGE_SIZE + 1);
        boolean more = page.size() > PAGE_SIZE;
        List<ConsoleRepository.RunRow> shown = more ? page.subList(0, PAGE_SIZE) : page;
        List<String> ids = shown.stream().map(ConsoleRepository.RunRow::runId).toList();
        Map<String, Long> determinations = console.determinationCounts(ids);
        Map<String, Map<String, Long>> outboxCounts = console.attentionCounts(ids);
        Instant now = clock.instant();
        List<RunRow> rows = shown.stream().map(r -> {
            Map<String, Long> o = outboxCounts.getOrDefault(r.runId(), Map.of());
            return new RunRow(r.runId(), r.runDate(), RunState.valueOf(r.state()), r.createdAt(), age(r.createdAt(), now),
                    determinations.getOrDefault(r.runId(), 0L), o.getOrDefault(OutboxState.PENDING.name(), 0L), o.getOrDefault(OutboxState.FAILED.name(), 0L));
        }).toList();
        String next = more ? new Cursor(shown.get(shown.size() - 1).createdAt(), shown.get(shown.size() - 1).runId()).encode() : null;
        return new RunsPage(rows, state.map(Enum::name).orElse(""), List.of(RunState.values()), next);
    }

    /** A run with one page of its FAILED rows; 404 for an unknown run. */
    public RunPage run(String runId, long failedAfter) {
        RunView view = runs.view(runId);
        List<ConsoleRepository.FailedRow> failed = console.failed(runId, failedAfter, PAGE_SIZE + 1);
        Long next = failed.size() > PAGE_SIZE ? failed.get(PAGE_SIZE - 1).id() : null;
        return new RunPage(view, age(view.createdAt(), clock.instant()), failed.subList(0, Math.min(PAGE_SIZE, failed.size())), next);
    }

    public StatusPage status() {
        Map<String, Long> depth = outbox.depth();
        long unsettled = OutboxReports.unsettled(depth);
        Instant now = clock.instant();
        String oldest = console.oldestPending().map(at -> age(at, now)).orElse("none pending");
        return new StatusPage(suppression.mode().value(), targets.mappedAccounts(), sfmc.status(), flusher.state(), depth,
                unsettled, oldest, OutboxAgeChart.of(console.pendingPerAgeBand(now)), exports.last().orElse(null), chart(now));
    }

    /**
     * The chart reads every confirmed row of the last {@value #CHART_DAYS} days (a million rows
     * take a few hundred ms), so it is drawn at most once per {@code console.chart-max-age}.
     */
    private synchronized SuppressionChart chart(Instant now) {
        if (chart == null || !now.isBefore(chartAt.plus(config.chartMaxAge()))) {
            LocalDate firstDay = LocalDate.ofInstant(now, app.zone()).minusDays(CHART_DAYS - 1);
            chart = SuppressionChart.of(firstDay, CHART_DAYS, console.confirmedPerDay(firstDay));
            chartAt = now;
        }
        return chart;
    }

    /** One page ({@value #PAGE_SIZE} rows) of the filtered list; {@code cursor} is the previous page's {@code next}. */
    public SuppressionsPage suppressions(SuppressionQuery query, String cursor) {
        SuppressionPage page = catalog.page(query.filter(app.zone()), cursor, PAGE_SIZE);
        return new SuppressionsPage(query, null, page.items(), page.nextCursor(), List.of(OutboxState.values()), ORIGINS);
    }

    /** Every row of one address (at most the API's limit), whatever the filter. */
    public SuppressionsPage suppressionsOf(String address) {
        SuppressionPage page = catalog.page(SuppressionFilter.ofAddress(address), null, SuppressionCatalog.MAX_LIMIT);
        return new SuppressionsPage(SuppressionQuery.none(), EmailAddress.normalize(address), page.items(), null,
                List.of(OutboxState.values()), ORIGINS);
    }

    public OptOutsPage optOuts(boolean overdueOnly) {
        OptOutReport.Report report = optOuts.report(overdueOnly);
        return new OptOutsPage(report, report.optOuts().subList(0, Math.min(MAX_OPT_OUTS, report.optOuts().size())));
    }

    public HistoryPage noSearch() {
        return new HistoryPage(false, "", List.of(), List.of());
    }

    /** Everything recorded for one address, matched case-insensitively, as the API's history has it. */
    public HistoryPage history(String email) {
        EmailHistory found = history.of(email);
        return new HistoryPage(true, found.email(), found.determinations(), found.suppressions());
    }

    /** "3 d 4 h", "2 h 5 min", "7 min", "12 s": precise enough to see what is stuck, short enough for a table cell. */
    static String age(Instant since, Instant now) {
        Duration d = Duration.between(since, now);
        if (d.isNegative()) {
            return "0 s";
        }
        if (d.toDays() > 0) {
            return d.toDays() + " d " + d.toHoursPart() + " h";
        }
        if (d.toHours() > 0) {
            return d.toHours() + " h " + d.toMinutesPart() + " min";
        }
        if (d.toMinutes() > 0) {
            return d.toMinutes() + " min";
        }
        return d.toSeconds() + " s";
    }

    /** A keyset position in the runs list, opaque to the browser. */
    private record Cursor(Instant createdAt, String runId) {

        String encode() {
            return Base64.getUrlEncoder().withoutPadding().encodeToString((createdAt + "~" + runId).getBytes(StandardCharsets.UTF_8));
        }

        static Cursor parse(String encoded) {
            try {
                String decoded = new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.UTF_8);
                int split = decoded.indexOf('~');
                return new Cursor(Instant.parse(decoded.substring(0, split)), decoded.substring(split + 1));
            } catch (IllegalArgumentException | DateTimeParseException | StringIndexOutOfBoundsException e) {
                throw ProblemException.badRequest("The page cursor is not one this console handed out; start from the first page.");
            }
        }
    }
}
