package io.sfmcsuppression.suppression;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Where a suppression row came from (V12). Only the members of its kind are set: the classifier's
 * determination and run, the operator's key and note, the import's file and line (and key).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Origin(Kind kind, String determinationId, String runId, String keyName, String note, String file,
                     Long line) {

    /** The kinds of origin, as stored and shown. */
    public enum Kind {
        CLASSIFIER("classifier"), OPERATOR("operator"), IMPORT("import"), CONSENT_GLOBAL("consent-global");

        private final String value;

        Kind(String value) {
            this.value = value;
        }

        @JsonValue
        public String value() {
            return value;
        }

        public static Kind of(String value) {
            for (Kind k : values()) {
                if (k.value.equals(value)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("Unknown origin '" + value + "': classifier, operator, import or consent-global");
        }
    }

    public static Origin classifier(String determinationId, String runId) {
        return new Origin(Kind.CLASSIFIER, determinationId, runId, null, null, null, null);
    }

    public static Origin operator(String keyName, String note) {
        return new Origin(Kind.OPERATOR, null, null, keyName, note, null, null);
    }

    public static Origin imported(String keyName, String file, long line) {
        return new Origin(Kind.IMPORT, null, null, keyName, null, file, line);
    }

    public static Origin consentGlobal() {
        return new Origin(Kind.CONSENT_GLOBAL, null, null, null, null, null, null);
    }
}
