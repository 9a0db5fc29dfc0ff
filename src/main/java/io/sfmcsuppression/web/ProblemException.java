package io.sfmcsuppression.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Thrown by services to answer with a specific problem; the message is safe to show to callers. */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String title;
    private final List<Problem.ItemError> errors;
    private final Map<String, Object> extensions;

    public ProblemException(int status, String title, String detail) {
        this(status, title, detail, null, Map.of());
    }

    public ProblemException(int status, String title, String detail, List<Problem.ItemError> errors,
                            Map<String, Object> extensions) {
        super(detail);
        this.status = status;
        this.title = title;
        this.errors = errors;
        this.extensions = new LinkedHashMap<>(extensions);
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(404, "Not Found", detail);
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(409, "Conflict", detail);
    }

    public static ProblemException badRequest(String detail) {
        return new ProblemException(400, "Bad Request", detail);
    }

    public static ProblemException tooLarge(String detail) {
        return new ProblemException(413, "Payload Too Large", detail);
    }

    public static ProblemException invalidItems(String detail, List<Problem.ItemError> errors) {
        return new ProblemException(422, "Unprocessable Content", detail, errors, Map.of());
    }

    public Problem toProblem(String instance) {
        return new Problem("about:blank", title, status, getMessage(), instance, errors, extensions);
    }

    public int status() {
        return status;
    }
}
