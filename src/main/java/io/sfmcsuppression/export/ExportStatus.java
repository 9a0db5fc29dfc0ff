package io.sfmcsuppression.export;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

/** What the export has done lately, as the status endpoint reports it. */
@ApplicationScoped
public class ExportStatus {

    private final ExportRepository repository;

    ExportStatus(ExportRepository repository) {
        this.repository = repository;
    }

    /** The export written last, across all runs; empty before the first one. */
    public Optional<LastExport> last() {
        return repository.lastExport();
    }
}
