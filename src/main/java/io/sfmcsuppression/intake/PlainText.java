package io.sfmcsuppression.intake;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The rule for free-text fields (id, accountName, newTitle): no control characters and no broken
 * UTF-16. PostgreSQL cannot store NUL, and a lone surrogate cannot be encoded as UTF-8 at all.
 */
final class PlainText {

    private static final Pattern CONTROL = Pattern.compile("\\p{Cc}");

    private PlainText() {
    }

    static Optional<String> problem(String value) {
        if (value == null) {
            return Optional.empty();
        }
        if (CONTROL.matcher(value).find() || !isWellFormed(value)) {
            return Optional.of("must not contain control characters or malformed Unicode");
        }
        return Optional.empty();
    }

    /** True when every surrogate is part of a pair. */
    static boolean isWellFormed(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
