package io.sfmcsuppression.export;

/**
 * A deliverable on disk, as recorded for its run.
 *
 * @param kind         N04 (attached to the mail) or INTERNAL (ops only)
 * @param businessUnit the business unit of an N04 file, null for the internal file
 * @param rows         data rows, the header not counted
 */
record WrittenFile(String name, String kind, String businessUnit, long rows, long sizeBytes, String sha256) {

    static final String N04 = "N04";
    static final String INTERNAL = "INTERNAL";

    boolean isN04() {
        return N04.equals(kind);
    }
}
