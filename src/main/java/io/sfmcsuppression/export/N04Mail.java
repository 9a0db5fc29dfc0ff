package io.sfmcsuppression.export;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/** Subject and text of the N04 mail. */
final class N04Mail {

    private N04Mail() {
    }

    /** Names N04, the run date and the distinct addresses across the run's N04 files. */
    static String subject(LocalDate runDate, long rows) {
        return "N04 suppression import, run date " + runDate + ": " + rows + (rows == 1 ? " row" : " rows");
    }

    static String body(String runId, LocalDate runDate, List<WrittenFile> n04Files, long rows, Map<String, Long> outcomes) {
        StringBuilder text = new StringBuilder()
                .append("N04: people who are no longer there, run ").append(runId).append(" (run date ").append(runDate).append(").\r\n\r\n")
                .append("Attached are the SFMC suppression import files of this run, one per business unit\r\n")
                .append("(columns Email Address, Status, Date Added). Import each into its business unit's\r\n")
                .append("Auto-Suppression List.\r\n\r\n")
                .append("Rows per file:\r\n");
        for (WrittenFile file : n04Files) {
            text.append("  ").append(file.name()).append(": ").append(file.rows()).append("\r\n");
        }
        text.append("Distinct addresses across the files: ").append(rows).append("\r\n\r\n")
                .append("Suppressions requested through the SFMC API for this run (by outcome):\r\n");
        outcomes.forEach((outcome, count) -> text.append("  ").append(outcome).append(": ").append(count).append("\r\n"));
        text.append("\r\nSent by sfmc-suppression-service.\r\n");
        return text.toString();
    }
}
