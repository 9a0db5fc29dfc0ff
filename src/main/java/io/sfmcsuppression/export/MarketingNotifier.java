package io.sfmcsuppression.export;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.instrumentation.annotations.SpanAttribute;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.quarkus.logging.Log;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.Mailer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.sfmcsuppression.config.RetryPolicy;
import io.sfmcsuppression.run.InactivePeople;
import io.sfmcsuppression.run.Run;
import io.sfmcsuppression.run.RunRepository;
import io.sfmcsuppression.run.RunState;
import io.sfmcsuppression.suppression.SuppressionConfig;
import io.sfmcsuppression.suppression.SuppressionMode;
import io.sfmcsuppression.suppression.OutboxReports;
import io.sfmcsuppression.web.ProblemException;

/**
 * Sends a run's N04 mail, once. The run's export row is locked for the whole attempt (claim, SMTP,
 * outcome), so two replicas never send the same mail; the mail is marked SENT in the transaction
 * that holds the claim. The only duplicate possible is a crash after SMTP accepted the mail and
 * before that commit (docs/export.md).
 */
@ApplicationScoped
class MarketingNotifier {

    /** What one call did. */
    enum Outcome { SENT, RETRY_SCHEDULED, WITHHELD, NOT_DUE, BUSY }

    static final String RUN_HEADER = "X-N04-Run";

    private final ExportRepository exports;
    private final RunRepository runs;
    private final DeliverablesWriter writer;
    private final InactivePeople inactivePeople;
    private final OutboxReports outbox;
    private final SuppressionConfig suppression;
    private final NotificationConfig config;
    private final RetryPolicy retry;
    private final ExportConfig exportConfig;
    private final Mailer mailer;
    private final Clock clock;
    private final MeterRegistry metrics;

    MarketingNotifier(ExportRepository exports, RunRepository runs, DeliverablesWriter writer, InactivePeople inactivePeople,
                      OutboxReports outbox, SuppressionConfig suppression, NotificationConfig config,
                      ExportConfig exportConfig, Mailer mailer, Clock clock, MeterRegistry metrics) {
        this.exports = exports;
        this.runs = runs;
        this.writer = writer;
        this.inactivePeople = inactivePeople;
        this.outbox = outbox;
        this.suppression = suppression;
        this.config = config;
        this.retry = new RetryPolicy(config.retryInitial(), config.retryMax(), 0);
        this.exportConfig = exportConfig;
        this.mailer = mailer;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** In live mode a missing recipient is an error at startup already, not only when a run is mailed. */
    void checkAtStartup(@Observes StartupEvent started) {
        if (suppression.mode() != SuppressionMode.LIVE) {
            return;
        }
        try {
            Recipients.require(config);
        } catch (Recipients.MisconfiguredException e) {
            Log.errorf("SUPPRESSION_MODE is live, but: %s Runs are exported and their mail is retried until this is fixed.",
                    e.getMessage());
        }
    }

    /** Sends the run's mail if it is due and nobody else is sending it. */
    @WithSpan("N04 mail")
    Outcome notify(@SpanAttribute("run.id") String runId) {
        return QuarkusTransaction.requiringNew().timeout(timeoutSeconds()).call(() -> {
            if (!exports.claim(runId)) {
                return Outcome.BUSY;
            }
            Optional<Run> run = runs.find(runId);
            Optional<ExportRepository.NotificationRecord> mail = exports.notification(runId);
            Instant now = clock.instant();
            if (run.isEmpty() || run.get().state() != RunState.EXPORTED || mail.isEmpty() || !isDue(mail.get(), now)) {
                return Outcome.NOT_DUE;
            }
            if (suppression.mode() != SuppressionMode.LIVE) {
                exports.notificationWithheld(runId, suppression.mode().value() + ": the mode changed before the mail was sent; "
                        + "no mail is sent in this mode", now);
                return Outcome.WITHHELD;
            }
            return attempt(run.get(), mail.get(), now);
        });
    }

    /**
     * Sends a NOTIFIED run's mail again on an operator's request: the same recipients, subject and
     * attachments, an explicit second send counted as {@code n04.mails{outcome=resent}}. In dry-run
     * and read-only nothing is sent. An SMTP failure is answered (502) and changes nothing.
     */
    RunOperations.Resent resend(String runId) {
        return QuarkusTransaction.requiringNew().timeout(timeoutSeconds()).call(() -> {
            Run run = runs.find(runId).orElseThrow(() -> ProblemException.notFound("No run " + runId));
            if (run.state() != RunState.NOTIFIED) {
                throw ProblemException.conflict("Run " + runId + " is " + run.state()
                        + "; only a run whose mail was sent (NOTIFIED) can be sent again");
            }
            if (!exports.claim(runId)) {
                throw ProblemException.conflict("Run " + runId + " is being exported or mailed right now; try again");
            }
            ExportRepository.NotificationRecord mail = exports.notification(runId).orElseThrow();
            if (suppression.mode() != SuppressionMode.LIVE) {
                metrics.counter("n04.mails", "outcome", "resend_withheld").increment();
                return new RunOperations.Resent(runId, "WITHHELD", suppression.mode().value() + ": no mail is sent in this mode",
                        mail.attempts());
            }
            List<WrittenFile> n04Files = exports.deliverables(runId).stream().filter(WrittenFile::isN04).toList();
            long rows = inactivePeople.count(runId);
            String subject = N04Mail.subject(run.runDate(), rows);
            Recipients recipients = Recipients.require(config);
            try {
                mailer.send(compose(run, recipients, subject, n04Files, rows));
            } catch (RuntimeException e) {
                metrics.counter("n04.mails", "outcome", "resend_failed").increment();
                throw new ProblemException(502, "Bad Gateway", "The N04 mail of run " + runId + " could not be sent again: "
                        + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            }
            Instant now = clock.instant();
            exports.notificationSent(runId, mail.attempts() + 1, recipients, subject, now);
            metrics.counter("n04.mails", "outcome", "resent").increment();
            Log.infof("N04 mail of run %s sent again on request with %d file(s), %d rows", runId, n04Files.size(), rows);
            return new RunOperations.Resent(runId, "SENT", subject, mail.attempts() + 1);
        });
    }

    private Outcome attempt(Run run, ExportRepository.NotificationRecord mail, Instant now) {
        int attempt = mail.attempts() + 1;
        List<WrittenFile> n04Files = exports.deliverables(run.runId()).stream().filter(WrittenFile::isN04).toList();
        long rows = inactivePeople.count(run.runId());
        String subject = N04Mail.subject(run.runDate(), rows);
        Recipients recipients;
        try {
            recipients = Recipients.require(config);
            mailer.send(compose(run, recipients, subject, n04Files, rows));
        } catch (RuntimeException e) {
            Instant next = now.plus(retry.delayAfter(attempt));
            String error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            exports.notificationFailed(run.runId(), attempt, error, next, now);
            metrics.counter("n04.mails", "outcome", "failed").increment();
            Log.warnf("N04 mail of run %s not sent (attempt %d): %s; next attempt at %s", run.runId(), attempt, error, next);
            return Outcome.RETRY_SCHEDULED;
        }
        exports.notificationSent(run.runId(), attempt, recipients, subject, now);
        runs.advance(run.runId(), RunState.EXPORTED, RunState.NOTIFIED);
        metrics.counter("n04.mails", "outcome", "sent").increment();
        Log.infof("N04 mail of run %s sent with %d file(s), %d rows (attempt %d)", run.runId(), n04Files.size(), rows, attempt);
        return Outcome.SENT;
    }

    private Mail compose(Run run, Recipients recipients, String subject, List<WrittenFile> n04Files, long rows) {
        Mail mail = new Mail()
                .setFrom(recipients.from())
                .setTo(recipients.to())
                .setCc(recipients.cc())
                .setSubject(subject)
                .setText(N04Mail.body(run.runId(), run.runDate(), n04Files, rows, outbox.countsForRun(run.runId())))
                .addHeader(RUN_HEADER, run.runId());
        for (WrittenFile file : n04Files) {
            java.io.File onDisk = writer.runDir(run.runId()).resolve(file.name()).toFile();
            if (!onDisk.isFile()) {
                throw new IllegalStateException("Deliverable " + file.name() + " of run " + run.runId()
                        + " is missing from " + onDisk.getParent());
            }
            mail.addAttachment(file.name(), onDisk, "text/csv");
        }
        return mail;
    }

    private static boolean isDue(ExportRepository.NotificationRecord mail, Instant now) {
        return (mail.state() == NotificationState.PENDING || mail.state() == NotificationState.RETRYING)
                && (mail.nextAttemptAt() == null || !mail.nextAttemptAt().isAfter(now));
    }

    private int timeoutSeconds() {
        return (int) Math.max(1, exportConfig.stepTimeout().toSeconds());
    }
}
