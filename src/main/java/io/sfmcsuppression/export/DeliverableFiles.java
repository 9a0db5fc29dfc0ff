package io.sfmcsuppression.export;

import java.nio.file.Files;
import java.nio.file.Path;

import jakarta.enterprise.context.ApplicationScoped;

import io.sfmcsuppression.run.RunIds;
import io.sfmcsuppression.web.ProblemException;

/**
 * Finds a run's file on disk for a download. Only names recorded for the run are served, looked
 * up in the database, so no path a caller sends ever reaches the file system.
 */
@ApplicationScoped
public class DeliverableFiles {

    private final ExportRepository exports;
    private final DeliverablesWriter writer;

    DeliverableFiles(ExportRepository exports, DeliverablesWriter writer) {
        this.exports = exports;
        this.writer = writer;
    }

    /**
     * The recorded file {@code name} of run {@code runId}.
     *
     * @throws ProblemException 404 when the run has no such file or it is no longer on disk
     */
    public Path recorded(String runId, String name) {
        RunIds.require(runId);
        WrittenFile recorded = exports.deliverables(runId).stream().filter(f -> f.name().equals(name)).findFirst()
                .orElseThrow(() -> ProblemException.notFound("Run " + runId + " has no deliverable of that name."));
        Path onDisk = writer.runDir(runId).resolve(recorded.name());
        if (!Files.isRegularFile(onDisk)) {
            throw ProblemException.notFound("The file " + recorded.name() + " of run " + runId
                    + " is recorded but no longer on disk.");
        }
        return onDisk;
    }
}
