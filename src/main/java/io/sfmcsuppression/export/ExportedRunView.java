package io.sfmcsuppression.export;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.sfmcsuppression.run.RunExportView;

/** The run view's files and mail, read from the export tables. */
@ApplicationScoped
class ExportedRunView implements RunExportView {

    private final ExportRepository exports;

    ExportedRunView(ExportRepository exports) {
        this.exports = exports;
    }

    @Override
    public List<Deliverable> deliverables(String runId) {
        return exports.deliverables(runId).stream().map(f -> new Deliverable(f.name(), f.rows(), f.sha256())).toList();
    }

    @Override
    public Optional<Notification> notification(String runId) {
        return exports.notification(runId).map(n -> new Notification(n.state().name(), n.sentAt(), n.attempts(),
                n.lastError(), n.reason(), n.nextAttemptAt(), n.to(), n.cc(), n.subject()));
    }
}
